// The site's behaviour on every page, loaded as a file (the Content-Security-Policy allows only 'self'):
// - the menu button shows and hides the navigation on a narrow screen (issue 11 item 17);
// - an htmx request the server refused without a fragment to show (403, 404, 429, 500…) says so in the page's
//   alert area instead of failing silently; 409 and 422 answers carry their fragment and are swapped (the
//   htmx-config meta tag), so field errors appear next to their fields (issue 11 item 13).
(function () {
  function setUpMenu() {
    var button = document.querySelector("[data-menu-toggle]");
    var bar = document.querySelector(".topbar");
    if (!button || !bar) return;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      bar.classList.toggle("menu-open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        bar.classList.remove("menu-open");
        button.focus();
      }
    });
  }

  function showRequestError(event) {
    var area = document.getElementById("request-error");
    if (!area) return;
    var status = event.detail && event.detail.xhr ? event.detail.xhr.status : 0;
    var text = status ? area.getAttribute("data-failed") : area.getAttribute("data-offline");
    area.textContent = status ? text + " (" + status + ")" : text;
    area.hidden = false;
  }

  function clearRequestError() {
    var area = document.getElementById("request-error");
    if (area) area.hidden = true;
  }

  // A field-error box swapped out of band (includes/field_errors_oob.html) marks its field and input.
  function markField(event) {
    var box = event.target;  // the new box (the event's detail names the one it replaced)
    if (!box || !box.classList || !box.classList.contains("field-errors")) return;
    var field = box.closest(".field");
    var failed = box.children.length > 0;
    if (field) field.classList.toggle("has-error", failed);
    var input = document.getElementById(box.id.replace(/-errors$/, ""));
    if (input) {
      if (failed) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
  }

  // The customer picker (customers/picker.py): a result chosen fills the hidden id and the search box; typing
  // again clears the id until a customer is chosen.
  function pickCustomer(event) {
    var choice = event.target.closest && event.target.closest("[data-pick]");
    var picker = choice && choice.closest("[data-customer-picker]");
    if (!picker) return;
    picker.querySelector("[data-picker-value]").value = choice.getAttribute("data-pick");
    var search = picker.querySelector("[data-picker-search]");
    search.value = choice.getAttribute("data-label");
    picker.querySelector(".picker-results").innerHTML = "";
    search.focus();
  }

  function typedInPicker(event) {
    var picker = event.target.closest && event.target.closest("[data-customer-picker]");
    if (picker && event.target.hasAttribute("data-picker-search")) {
      picker.querySelector("[data-picker-value]").value = "";
    }
  }

  document.addEventListener("click", pickCustomer);
  document.addEventListener("input", typedInPicker);
  document.addEventListener("DOMContentLoaded", setUpMenu);
  document.addEventListener("htmx:oobAfterSwap", markField);
  document.addEventListener("htmx:responseError", showRequestError);
  document.addEventListener("htmx:sendError", showRequestError);
  document.addEventListener("htmx:beforeRequest", clearRequestError);
})();
