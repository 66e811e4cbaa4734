// Keeps a preview page current (issue 6). The server announces each new version of the pages
// on /_events; the page then fetches itself again and swaps in the new body and stylesheets,
// without a reload, so that the reader keeps their place.
"use strict";
(() => {
  const shown = () => document.querySelector('meta[name="preview-version"]')?.content;
  let busy = false;
  let again = false;
  let last = null; // the last page fetched, without its version: a page that did not change stays

  async function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        const response = await fetch(location.href, { cache: "no-store" });
        const html = await response.text();
        const same = html.replace(/<meta name="preview-version"[^>]*>/, "");
        const next = new DOMParser().parseFromString(html, "text/html");
        if (same === last) setVersion(next);
        else swap(next);
        last = same;
      } while (again);
    } catch (error) {
      // The server is stopping or restarting: the event stream reconnects and asks again.
    } finally {
      busy = false;
    }
  }

  function setVersion(next) {
    const version = next.querySelector('meta[name="preview-version"]');
    const meta = document.querySelector('meta[name="preview-version"]');
    if (version && meta) meta.content = version.content;
  }

  function swap(next) {
    setVersion(next);
    document.title = next.title;
    swapStylesheets(next);
    document.body.replaceWith(document.adoptNode(next.body));
    document.dispatchEvent(new CustomEvent("preview:updated"));
  }

  function swapStylesheets(next) {
    const selector = 'link[rel="stylesheet"]';
    const wanted = [...next.head.querySelectorAll(selector)].map((link) => link.href);
    const current = [...document.head.querySelectorAll(selector)];
    if (wanted.join(" ") === current.map((link) => link.href).join(" ")) return;
    for (const href of wanted) {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      document.head.append(link);
    }
    // The old sheets go once the new ones apply, so that the page does not flash unstyled.
    const added = [...document.head.querySelectorAll(selector)].slice(current.length);
    Promise.all(added.map((link) => new Promise((done) => {
      link.onload = link.onerror = done;
    }))).then(() => current.forEach((link) => link.remove()));
  }

  const events = new EventSource("/_events");
  // Shown on the root element, for whoever needs to know that the page is live (the tests).
  events.onopen = () => { document.documentElement.dataset.live = "connected"; };
  events.onerror = () => { document.documentElement.dataset.live = "reconnecting"; };
  events.onmessage = (event) => {
    if (event.data !== shown()) refresh();
  };
})();
