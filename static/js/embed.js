/*
 * 防骗体检 embed: put the checker on your own page with two lines.
 *
 *   <div class="fangpian-widget"></div>
 *   <script src="https://<this site>/embed.js" data-mode="compact" data-accent="#0b5cad"
 *           data-org="某某派出所" async></script>
 *
 * Options (all optional): data-mode "compact" or "full"; data-accent a colour like #c00 or #0b5cad;
 * data-org your organisation's name, shown as "由 XX 提供". No dependencies, no cookies.
 * /embed.js redirects to this file under its current hashed name; document.currentScript.src is still
 * /embed.js, so the widget's origin below is the site's either way.
 * The frame sizes itself to its content: the widget posts its height, and only messages from the
 * widget's origin and from this very frame are believed.
 * The widget may be framed only by pages served over HTTPS (and plain-http pages on localhost, for
 * testing): WIDGET_FRAME_ANCESTORS' default. Elsewhere on plain http the browser would refuse the
 * frame, so this script puts a link to the site there instead.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.src) return;
  var widgetOrigin = new URL(script.src).origin;
  var data = script.dataset;

  function place(element) {
    var slot = script.previousElementSibling;
    if (slot && slot.classList.contains("fangpian-widget") && !slot.firstChild) {
      slot.appendChild(element);
    } else {
      script.parentNode.insertBefore(element, script.nextSibling);
    }
  }

  var local = ["localhost", "127.0.0.1"].indexOf(window.location.hostname) !== -1;
  if (window.location.protocol === "http:" && !local) {
    var box = document.createElement("p");
    box.className = "fangpian-widget-link";
    var link = document.createElement("a");
    link.href = widgetOrigin + "/";
    link.textContent = "打开防骗体检";
    var note = document.createElement("small");
    note.textContent = "这个网页没有加密（不是 https），为了保护你写下的内容，请到防骗体检的网站上体检。";
    box.appendChild(link);
    box.appendChild(document.createElement("br"));
    box.appendChild(note);
    place(box);
    if (window.console) {
      console.warn("防骗体检：小窗口只能放在用 https 打开的网页上，这里先显示一个链接。说明见 " + widgetOrigin + "/embed/");
    }
    return;
  }

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
  place(iframe);

  window.addEventListener("message", function (event) {
    if (event.origin !== widgetOrigin || event.source !== iframe.contentWindow) return;
    var message = event.data;
    if (!message) return;
    if (message.type === "fangpian-widget:height") {
      var height = Math.ceil(Number(message.height));
      if (height > 0 && height < 20000) iframe.style.height = height + "px";
    } else if (message.type === "fangpian-widget:scroll") {
      // An in-page link inside the frame (an evidence number): the frame is as tall as its content,
      // so only this page can scroll to the target, `top` pixels below the frame's top edge.
      var top = Number(message.top);
      if (!(top >= 0 && top < 20000)) return;
      var y = iframe.getBoundingClientRect().top + window.scrollY + top - 16;
      window.scrollTo(window.scrollX, Math.max(0, y));
    }
  });

  iframe.addEventListener("load", function () {
    iframe.contentWindow.postMessage({ type: "fangpian-widget:measure" }, widgetOrigin);
  });
})();
