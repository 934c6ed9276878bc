// Small enhancements for the check form and the result; every page works without them.
(function () {
  "use strict";

  // No maxlength on the textarea: the browser would cut a long paste silently, and a chat's real
  // request is often at its end. The counter says when the text is over the limit instead.
  function updateCounter(textarea) {
    var counter = document.getElementById(textarea.dataset.counter);
    if (!counter) return;
    var max = parseInt(textarea.dataset.max, 10) || 5000;
    var used = textarea.value.length;
    counter.textContent = used > max
      ? used + " / " + max + " 字：太长了，请删掉前面的寒暄，只留对方提出要求的部分"
      : used + " / " + max + " 字";
    counter.classList.toggle("counter--near", used > max * 0.9);
  }

  // 长辈模式 in place: the same session cookie the header's GET form sets, without a reload.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("elder-switch")) return;
    var button = form.querySelector("button[name=on]");
    var on = button.value === "1";
    document.documentElement.classList.toggle("elder", on);
    document.cookie = "elder=" + (on ? "1" : "; max-age=0") + "; path=/; samesite=lax" + (location.protocol === "https:" ? "; secure" : "");
    button.value = on ? "0" : "1";
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = "长辈模式：" + (on ? "开" : "关");
    event.preventDefault();
  });

  // Back from a result swapped in by htmx: htmx restores the page from the server (results are
  // kept out of its history cache), which would empty the textarea. The text is kept in this
  // page's memory only, never in storage, and put back.
  var typed = "";
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches(".check-form textarea[name=text]")) typed = event.target.value;
  });
  function restoreTyped() {
    var textarea = document.querySelector(".check-form textarea[name=text]");
    if (textarea && !textarea.value && typed) {
      textarea.value = typed;
      updateCounter(textarea);
    }
  }
  document.addEventListener("htmx:historyRestore", restoreTyped);
  document.addEventListener("htmx:historyCacheMissLoad", function () { setTimeout(restoreTyped, 0); });

  // Screenshots: a preview of the chosen or pasted image (a data: URL, which the CSP allows), and
  // pasting from the clipboard into the file field. Without JavaScript the file field works alone.
  function showPreview(field, file) {
    var preview = field.querySelector("[data-image-preview]");
    if (!preview) return;
    var img = preview.querySelector("img");
    if (!file || !/^image\/(png|jpeg|webp)$/.test(file.type)) {
      preview.hidden = true;
      img.removeAttribute("src");
      return;
    }
    var reader = new FileReader();
    reader.onload = function () {
      img.src = reader.result;
      preview.hidden = false;
    };
    reader.readAsDataURL(file);
  }

  function canPasteFiles() {
    try {
      return typeof DataTransfer === "function" && !!new DataTransfer().items;
    } catch (e) {
      return false;
    }
  }

  function initImageFields(root) {
    root.querySelectorAll("[data-image-field]").forEach(function (field) {
      if (field.dataset.imageReady) return;
      field.dataset.imageReady = "1";
      var input = field.querySelector("input[type=file]");
      input.addEventListener("change", function () { showPreview(field, input.files[0]); });
      var hint = field.querySelector(".paste-hint");
      if (hint && canPasteFiles()) hint.hidden = false;
    });
  }

  document.addEventListener("paste", function (event) {
    var files = event.clipboardData && event.clipboardData.files;
    var image = null;
    for (var i = 0; files && i < files.length; i++) {
      if (/^image\/(png|jpeg|webp)$/.test(files[i].type)) { image = files[i]; break; }
    }
    if (!image || !canPasteFiles()) return;  // text is pasted as usual
    var active = document.activeElement;
    var form = (active && active.closest && active.closest("form")) || document.querySelector("form [data-image-field]");
    var field = form && (form.matches("[data-image-field]") ? form : form.querySelector("[data-image-field]"));
    if (!field) field = document.querySelector("[data-image-field]");
    if (!field) return;
    var input = field.querySelector("input[type=file]");
    var fold = field.closest("details");
    if (fold) fold.open = true;  // the preview must be seen
    var transfer = new DataTransfer();
    transfer.items.add(image);
    input.files = transfer.files;
    showPreview(field, image);
    event.preventDefault();
  });

  function init(root) {
    initImageFields(root);
    root.querySelectorAll("textarea[data-counter]").forEach(function (textarea) {
      if (textarea.dataset.counterReady) return;
      textarea.dataset.counterReady = "1";
      textarea.addEventListener("input", function () { updateCounter(textarea); });
      updateCounter(textarea);
    });
    // Copy and share buttons are hidden in the markup: they are shown only where they can work.
    if (navigator.clipboard) {
      root.querySelectorAll("button[data-copy]").forEach(function (button) {
        button.hidden = false;
      });
    }
    if (navigator.share) {
      root.querySelectorAll("button[data-share-url]").forEach(function (button) {
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
        typed = example.value;
        updateCounter(textarea);
      }
      return;
    }
    var clear = event.target.closest("button[data-image-clear]");
    if (clear) {
      var field = clear.closest("[data-image-field]");
      field.querySelector("input[type=file]").value = "";
      showPreview(field, null);
      return;
    }
    var share = event.target.closest("button[data-share-url]");
    if (share) {
      navigator.share({ title: "防骗体检结果", text: share.dataset.shareText, url: share.dataset.shareUrl }).catch(function () {});
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
    // 413/415/422: a screenshot we cannot read; 503: OCR busy. Each carries a message for the person.
    if ([400, 403, 413, 415, 422, 429, 503].indexOf(status) !== -1) {
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
