// Inside the widget's frame: apply the partner's accent colour, keep links out of the frame, and tell
// the embedding page (embed.js) how tall the widget is. The widget works without this file.
(function () {
  "use strict";

  var MESSAGE = "fangpian-widget:height";
  var root = document.querySelector("[data-widget]");
  if (!root) return;
  // Checked on the server against WIDGET_FRAME_ANCESTORS; absent when the origin was not allowed.
  var parentOrigin = root.dataset.parentOrigin || "";

  // CSP forbids inline styles, but setting a custom property through the CSSOM is allowed.
  if (root.dataset.accent) {
    root.style.setProperty("--widget-accent", root.dataset.accent);
    root.style.setProperty("--widget-accent-ink", root.dataset.accentInk || "#fff");
  }

  // Other pages of the site refuse to be framed: open them in a new tab instead of a blank frame.
  root.querySelectorAll("a[href]").forEach(function (link) {
    var href = link.getAttribute("href");
    if (href.charAt(0) === "#" || href.indexOf("tel:") === 0) return;
    link.target = "_blank";
    link.rel = "noopener";
  });

  function height() {
    return Math.ceil(root.getBoundingClientRect().height);
  }

  var lastSent = 0;
  function sendHeight() {
    if (!parentOrigin || window.parent === window) return;
    var h = height();
    if (h === lastSent) return;
    lastSent = h;
    // targetOrigin: the browser delivers this only if the parent really is that origin.
    window.parent.postMessage({ type: MESSAGE, height: h }, parentOrigin);
  }

  // In-page links (the evidence numbers in full mode point at their pattern, href="#pattern-1"): the
  // frame is as tall as its content, so a jump inside it scrolls nothing. Focus the target here and
  // ask embed.js to scroll the partner's page to it. Unframed, or not sized by embed.js, the
  // browser's own jump works.
  root.addEventListener("click", function (event) {
    if (!parentOrigin || window.parent === window) return;
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) return;
    event.preventDefault();
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    var top = Math.max(0, Math.round(target.getBoundingClientRect().top + window.scrollY));
    window.parent.postMessage({ type: "fangpian-widget:scroll", top: top }, parentOrigin);
  });

  // embed.js asks again when the frame loads, in case our first message came before it listened.
  window.addEventListener("message", function (event) {
    if (event.origin !== parentOrigin || event.source !== window.parent) return;
    if (event.data && event.data.type === "fangpian-widget:measure") {
      lastSent = 0;
      sendHeight();
    }
  });

  if (window.ResizeObserver) {
    new ResizeObserver(sendHeight).observe(root);
  }
  window.addEventListener("load", sendHeight);
  sendHeight();

  // After a check or a delete the frame holds a new page: move focus to its heading, as the main site does.
  var heading = root.querySelector("[data-focus-on-load]") || root.querySelector(".verdict [data-focus-on-swap]");
  if (heading) heading.focus({ preventScroll: true });
})();
