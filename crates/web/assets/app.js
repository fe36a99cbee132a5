// Kiềng: small progressive enhancements. Every page works without this file.
"use strict";
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  var msg = form.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { ev.preventDefault(); }
});
// Selects marked data-autosubmit apply a filter as soon as they change.
document.addEventListener("change", function (ev) {
  var el = ev.target;
  if (el.matches && el.matches("select[data-autosubmit]") && el.form) { el.form.requestSubmit(); }
});
// On a narrow screen the menu folds behind a button (without this file it
// stays open above the page).
(function () {
  var btn = document.querySelector(".menu-toggle");
  var side = document.getElementById("side");
  if (!btn || !side) { return; }
  btn.hidden = false;
  document.documentElement.classList.add("js");
  btn.addEventListener("click", function () {
    var open = side.classList.toggle("open");
    btn.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
// Pickers: a field marked data-pick="partners|agencies|users" offers choices
// as a few letters are typed (with or without diacritics). In a field that
// holds several, data-many names the separator ("line" or "comma") and the
// choice replaces the name being typed after the last one. Without this file
// the field takes names typed in full.
(function () {
  var timer = null;
  function sepOf(el) {
    var m = el.getAttribute("data-many");
    return m === "line" ? "\n" : m === "comma" ? "," : null;
  }
  function current(el) {
    var v = el.value, sep = sepOf(el);
    var cut = sep ? v.lastIndexOf(sep) : -1;
    return { head: v.slice(0, cut + 1), term: v.slice(cut + 1).trim() };
  }
  function close(el) {
    var box = el._pick;
    if (box) { box.remove(); el._pick = null; el.setAttribute("aria-expanded", "false"); }
  }
  function choose(el, value) {
    var c = current(el), sep = sepOf(el);
    var head = sep === "," && c.head ? c.head + " " : c.head;
    el.value = head + value + (sep === "\n" ? "\n" : sep === "," ? ", " : "");
    close(el);
    el.focus();
  }
  function show(el, items) {
    close(el);
    if (!items.length) { return; }
    var box = document.createElement("ul");
    box.className = "pick";
    box.setAttribute("role", "listbox");
    box.id = el.id + "-pick";
    items.forEach(function (it, i) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = box.id + "-" + i;
      li.textContent = it.label;
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(el, it.value); });
      li._value = it.value;
      box.appendChild(li);
    });
    el.insertAdjacentElement("afterend", box);
    el._pick = box;
    el._active = -1;
    el.setAttribute("aria-expanded", "true");
    el.setAttribute("aria-controls", box.id);
  }
  document.addEventListener("input", function (ev) {
    var el = ev.target;
    if (!el.getAttribute || !el.getAttribute("data-pick")) { return; }
    clearTimeout(timer);
    var term = current(el).term;
    if (term.length < 2) { close(el); return; }
    timer = setTimeout(function () {
      fetch("/pick/" + el.getAttribute("data-pick") + "?q=" + encodeURIComponent(term), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) { if (current(el).term === term) { show(el, items); } })
        .catch(function () {});
    }, 150);
  });
  document.addEventListener("keydown", function (ev) {
    var el = ev.target, box = el._pick;
    if (!box) { return; }
    var n = box.children.length;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      el._active = (el._active + (ev.key === "ArrowDown" ? 1 : n - 1)) % n;
      Array.prototype.forEach.call(box.children, function (li, i) { li.setAttribute("aria-selected", i === el._active ? "true" : "false"); });
      el.setAttribute("aria-activedescendant", box.children[el._active].id);
    } else if (ev.key === "Enter" && el._active >= 0) {
      ev.preventDefault();
      choose(el, box.children[el._active]._value);
    } else if (ev.key === "Escape") {
      close(el);
    }
  });
  document.addEventListener("focusout", function (ev) {
    var el = ev.target;
    if (el._pick) { setTimeout(function () { close(el); }, 150); }
  });
})();
// A print button prints the page (its marking at the top and foot of each sheet).
document.addEventListener("click", function (ev) {
  if (ev.target.closest && ev.target.closest("[data-print]")) { window.print(); }
});
// A copy button copies the text of the element it names (shown only with this file).
(function () {
  document.querySelectorAll("[data-copy]").forEach(function (b) { b.hidden = false; });
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest("[data-copy]");
    if (!b) { return; }
    var el = document.getElementById(b.getAttribute("data-copy"));
    if (!el || !navigator.clipboard) { return; }
    navigator.clipboard.writeText(el.textContent.trim()).then(function () { b.textContent = "✓ " + b.textContent.replace(/^✓ /, ""); });
  });
})();
// An upload form marked data-upload shows how much of a large file has gone
// up, then that the rows are being checked, and shows the answer in place.
// Without this file the form posts as usual.
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  if (!form.hasAttribute || !form.hasAttribute("data-upload") || ev.defaultPrevented) { return; }
  if (!window.XMLHttpRequest || !window.FormData) { return; }
  ev.preventDefault();
  var bar = form.querySelector("progress[data-progress]");
  var text = form.querySelector("[data-progress-text]");
  var button = form.querySelector("button[type=submit]");
  if (button) { button.disabled = true; }
  if (bar) { bar.hidden = false; bar.value = 0; }
  if (text) { text.hidden = false; text.textContent = text.getAttribute("data-sending"); }
  var xhr = new XMLHttpRequest();
  xhr.open("POST", form.action);
  xhr.upload.onprogress = function (e) {
    if (bar && e.lengthComputable) { bar.max = e.total; bar.value = e.loaded; }
  };
  xhr.upload.onload = function () {
    if (bar) { bar.removeAttribute("value"); }
    if (text) { text.textContent = text.getAttribute("data-checking"); }
  };
  xhr.onload = function () {
    document.open();
    document.write(xhr.responseText);
    document.close();
  };
  xhr.onerror = function () {
    if (button) { button.disabled = false; }
    if (text) { text.textContent = text.getAttribute("data-failed"); }
  };
  xhr.send(new FormData(form));
});
