// Small enhancements for the check form and the result; every page works without them.
(function () {
  "use strict";

  function updateCounter(textarea) {
    var counter = document.getElementById(textarea.dataset.counter);
    if (!counter) return;
    var max = parseInt(textarea.getAttribute("maxlength"), 10) || 5000;
    var used = textarea.value.length;
    counter.textContent = used + " / " + max + " 字";
    counter.classList.toggle("counter--near", used > max * 0.9);
  }

  function init(root) {
    root.querySelectorAll("textarea[data-counter]").forEach(function (textarea) {
      if (textarea.dataset.counterReady) return;
      textarea.dataset.counterReady = "1";
      textarea.addEventListener("input", function () { updateCounter(textarea); });
      updateCounter(textarea);
    });
    // Copy buttons are hidden in the markup: they are shown only where they can work.
    if (navigator.clipboard) {
      root.querySelectorAll("button[data-copy]").forEach(function (button) {
        button.hidden = false;
      });
    }
  }

  document.addEventListener("click", function (event) {
    var example = event.target.closest("button.example");
    if (example && example.form) {
      // The button submits its own value; showing it in the textarea tells the person what was checked.
      var textarea = example.form.querySelector("textarea[name=text]");
      if (textarea) {
        textarea.value = example.value;
        updateCounter(textarea);
      }
      return;
    }
    var copy = event.target.closest("button[data-copy]");
    if (copy) {
      var field = document.getElementById(copy.dataset.copy);
      navigator.clipboard.writeText(field.value).then(function () {
        copy.textContent = "已复制";
      });
    }
  });

  // htmx leaves 4xx answers unswapped by default; ours carry a message meant for the person.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 403 || status === 429) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After a swap, move focus to the new heading so keyboard and screen-reader users land on the answer.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    // An outerHTML swap replaces the target itself: find its successor by id.
    if (!target.isConnected && target.id) target = document.getElementById(target.id);
    if (!target) return;
    init(target);
    var heading = target.matches("[data-focus-on-swap]") ? target : target.querySelector("[data-focus-on-swap]");
    if (heading) {
      heading.focus();
      heading.scrollIntoView({ block: "start" });
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
})();
