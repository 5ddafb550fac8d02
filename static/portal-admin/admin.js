/*
 * The admin's autocomplete boxes (select2) show a combobox of their own in place of the
 * <select>, without its label: a screen reader reads an unnamed field. Each box is named
 * here after its field's label (or its inline row's aria-label), when the page loads and
 * when an inline row is added.
 */
(function () {
  "use strict";

  function nameOf(select) {
    if (select.getAttribute("aria-label")) {
      return select.getAttribute("aria-label");
    }
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    return label ? label.textContent.replace(/[:：]\s*$/, "").trim() : "";
  }

  function nameBoxes(root) {
    var selects = root.querySelectorAll("select.admin-autocomplete");
    Array.prototype.forEach.call(selects, function (select) {
      var name = nameOf(select);
      var box = select.nextElementSibling;
      if (!name || !box || !box.classList.contains("select2")) {
        return;
      }
      Array.prototype.forEach.call(
        box.querySelectorAll('[role="combobox"], [role="textbox"]'),
        function (element) {
          // The combobox is labelled by the box's text, empty until a choice is made.
          element.removeAttribute("aria-labelledby");
          element.setAttribute("aria-label", name);
        }
      );
    });
  }

  window.addEventListener("load", function () {
    // Django starts the boxes in a jQuery ready handler, which jQuery runs
    // asynchronously, possibly after this load event: name them in a ready handler of
    // our own, which jQuery runs after Django's (handlers run in the order they came).
    var jQuery = window.django && window.django.jQuery;
    if (jQuery) {
      jQuery(function () {
        nameBoxes(document);
      });
    } else {
      nameBoxes(document);
    }
  });
  document.addEventListener("formset:added", function (event) {
    // Django's inlines initialise the new row's boxes in their own handler of this event.
    window.setTimeout(function () {
      nameBoxes(event.target);
    }, 0);
  });
})();
