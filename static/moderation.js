/* Keyboard shortcuts for the moderation queue. The page works without this file:
   every shortcut only moves focus to, or submits, a server-rendered form. */
(function () {
  "use strict";

  var items = [];
  var current = -1;

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function select(index) {
    if (!items.length) { return; }
    index = Math.max(0, Math.min(items.length - 1, index));
    if (current >= 0 && items[current]) { items[current].classList.remove("current"); }
    current = index;
    var item = items[current];
    item.classList.add("current");
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  function inCurrent(selector) {
    return current >= 0 ? items[current].querySelector(selector) : null;
  }

  function submit(form) {
    if (!form) { return; }
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  function toggleHelp() {
    var help = document.getElementById("shortcuts");
    if (help) { help.open = !help.open; if (help.open) { help.querySelector("summary").focus(); } }
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (typing(target)) {
      if (event.key === "Escape") { target.blur(); if (current >= 0) { items[current].focus(); } }
      // A reason list sends its form with Enter, as a text field would.
      else if (event.key === "Enter" && target.tagName === "SELECT" && target.form &&
               (target.form.id === "bulk-form" || (target.value && target.form.closest(".queue-item")))) {
        event.preventDefault();
        submit(target.form);
      }
      return;
    }
    var handled = true;
    switch (event.key) {
      case "j": select(current + 1); break;
      case "k": select(current - 1); break;
      case "a": var approve = inCurrent("form.act-approve"); submit(approve); handled = !!approve; break;
      case "r": var reject = inCurrent("form.act-reject select"); if (reject) { reject.focus(); } break;
      case "u": var unpub = inCurrent("form.act-unpublish select"); if (unpub) { unpub.focus(); } break;
      case "p": var note = inCurrent("form.act-republish input[name=note]"); if (note) { note.focus(); } break;
      case "d": submit(inCurrent("form.act-dismiss")); break;
      case "x":
        var box = inCurrent("input.select-box");
        if (box) { box.checked = !box.checked; items[current].classList.toggle("selected", box.checked); }
        break;
      case "b": var action = document.getElementById("bulk-action"); if (action) { action.focus(); } break;
      case "o": var link = inCurrent("a.history-link"); if (link) { window.location.assign(link.href); } break;
      case "?": toggleHelp(); break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  }

  function start() {
    items = Array.prototype.slice.call(document.querySelectorAll(".queue-item"));
    items.forEach(function (item, index) {
      item.addEventListener("click", function () { if (current !== index) { select(index); } });
      var box = item.querySelector("input.select-box");
      if (box) { box.addEventListener("change", function () { item.classList.toggle("selected", box.checked); }); }
    });
    document.body.classList.add("keyboard-ready");
    if (items.length) { select(0); }
    document.addEventListener("keydown", onKey);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
}());
