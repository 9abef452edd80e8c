/* Similar ideas while typing on the submit form (participation).
 * Watches title, text, area and the hidden location input; after a pause asks the portal
 * for look-alikes (a small HTML fragment rendered by the server) and shows them in
 * #similar-ideas. Once suggestions were shown, the form is sent with confirm_new, so the
 * step without JavaScript is not repeated. Nothing here is needed for the form to work. */
(function () {
  "use strict";
  var box = document.getElementById("similar-ideas");
  if (!box || !window.fetch) { return; }
  var form = box.closest("form");
  var url = box.getAttribute("data-similar-url");
  var timer = null;
  var last = "";
  var controller = null;

  function value(name) {
    var field = form.elements.namedItem(name);
    if (!field) { return ""; }
    if (field.length !== undefined && field.tagName !== "SELECT") { return ""; }
    return field.value || "";
  }

  function markShown(shown) {
    var marker = form.querySelector("input[data-similar-seen]");
    if (!shown && marker) { marker.parentNode.removeChild(marker); }
    if (shown && !marker) {
      marker = document.createElement("input");
      marker.type = "hidden";
      marker.name = "confirm_new";
      marker.value = "on";
      marker.setAttribute("data-similar-seen", "");
      form.appendChild(marker);
    }
  }

  function update() {
    var title = value("title").trim();
    if (title.length < 4) { return; }
    var query = new URLSearchParams({
      title: title,
      text: value("text").slice(0, 1000),
      area: value("area"),
      location: value("location")
    }).toString();
    if (query === last) { return; }
    last = query;
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    fetch(url + "?" + query, {
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.ok ? response.text() : "";
    }).then(function (html) {
      if (box.classList.contains("similar-step")) { return; }
      var shown = html.trim() !== "";
      box.innerHTML = shown ? html : "";
      if (shown) { box.setAttribute("aria-labelledby", "similar-heading"); }
      else { box.removeAttribute("aria-labelledby"); }
      markShown(shown);
    }).catch(function () { /* offline or aborted: the server-side step still works */ });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 400);
  }

  ["title", "text", "area"].forEach(function (name) {
    var field = form.elements.namedItem(name);
    if (field && field.addEventListener) {
      field.addEventListener("input", schedule);
      field.addEventListener("change", schedule);
    }
  });
  var location = document.getElementById("id_location");
  if (location) { location.addEventListener("change", schedule); }
})();
