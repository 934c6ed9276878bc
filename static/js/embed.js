/*
 * 防骗体检 embed: put the checker on your own page with two lines.
 *
 *   <div class="fangpian-widget"></div>
 *   <script src="https://<this site>/static/js/embed.js" data-mode="compact" data-accent="#0b5cad"
 *           data-org="某某派出所" async></script>
 *
 * Options (all optional): data-mode "compact" or "full"; data-accent a colour like #c00 or #0b5cad;
 * data-org your organisation's name, shown as "由 XX 提供". No dependencies, no cookies.
 * The frame sizes itself to its content: the widget posts its height, and only messages from the
 * widget's origin and from this very frame are believed.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.src) return;
  var widgetOrigin = new URL(script.src).origin;
  var data = script.dataset;

  var params = new URLSearchParams();
  // The widget talks only to this origin; the server checks it against its list of allowed framers.
  params.set("origin", window.location.origin);
  params.set("mode", data.mode === "full" ? "full" : "compact");
  if (/^#(?:[0-9a-f]{3}){1,2}$/i.test(data.accent || "")) params.set("accent", data.accent);
  var org = (data.org || "").trim().slice(0, 40);
  if (org) params.set("org", org);

  var iframe = document.createElement("iframe");
  iframe.src = widgetOrigin + "/widget/?" + params.toString();
  iframe.title = "防骗体检：看看对方的要求是不是骗局" + (org ? "（由 " + org + " 提供）" : "");
  iframe.className = "fangpian-widget-frame";
  // Top navigation stays blocked; links to the full result open in a new, unsandboxed tab.
  iframe.setAttribute("sandbox", "allow-scripts allow-forms allow-same-origin allow-popups allow-popups-to-escape-sandbox");
  iframe.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
  iframe.style.display = "block";
  iframe.style.width = "100%";
  iframe.style.maxWidth = "600px";
  iframe.style.height = "460px";
  iframe.style.border = "0";

  var slot = script.previousElementSibling;
  if (slot && slot.classList.contains("fangpian-widget") && !slot.firstChild) {
    slot.appendChild(iframe);
  } else {
    script.parentNode.insertBefore(iframe, script.nextSibling);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== widgetOrigin || event.source !== iframe.contentWindow) return;
    var message = event.data;
    if (!message || message.type !== "fangpian-widget:height") return;
    var height = Math.ceil(Number(message.height));
    if (height > 0 && height < 20000) iframe.style.height = height + "px";
  });

  iframe.addEventListener("load", function () {
    iframe.contentWindow.postMessage({ type: "fangpian-widget:measure" }, widgetOrigin);
  });
})();
