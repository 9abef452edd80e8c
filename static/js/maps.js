/* Quartier maps: every element with class "js-map" becomes a Leaflet map.
 *
 * Configuration comes from data attributes (no inline script, CSP-safe):
 *   data-geojson-url   URL of a GeoJSON FeatureCollection to show
 *   data-geojson-id    id of a json_script element holding GeoJSON to show
 *   data-point-input   id of an input that receives a GeoJSON Point when the map is clicked
 *   data-boundary-input id of a textarea holding a Polygon/MultiPolygon, editable by drawing
 *   data-finder-url    clicking the map navigates to this URL with ?lat=…&lng=…
 * Tiles from another origin load only after the visitor's consent (remembered for the visit).
 */
(function () {
  "use strict";
  var CONSENT_KEY = "quartier-map-consent";
  var configElement = document.getElementById("map-config");
  if (!configElement || typeof L === "undefined") { return; }
  var config = JSON.parse(configElement.textContent);
  var maps = [];

  function hasConsent() {
    if (!config.needsConsent) { return true; }
    try { return window.sessionStorage.getItem(CONSENT_KEY) === "yes"; } catch (e) { return false; }
  }

  function addTiles(entry) {
    if (entry.tiles) { return; }
    entry.tiles = L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 19 });
    entry.tiles.addTo(entry.map);
    if (entry.consent) { entry.consent.hidden = true; }
  }

  function giveConsent() {
    try { window.sessionStorage.setItem(CONSENT_KEY, "yes"); } catch (e) { /* private mode */ }
    maps.forEach(addTiles);
  }

  function styleFor(feature) {
    var props = feature.properties || {};
    return { color: props.colour || "#1d5b79", weight: 2, fillOpacity: 0.15 };
  }

  function pointFor(feature, latlng) {
    var props = feature.properties || {};
    return L.circleMarker(latlng, {
      radius: 7, color: "#ffffff", weight: 2, fillColor: props.colour || "#1d5b79", fillOpacity: 0.95
    });
  }

  function popupFor(feature, layer) {
    var props = feature.properties || {};
    if (!props.name && !props.title) { return; }
    var box = document.createElement("div");
    var label = props.name || props.title;
    if (props.url) {
      var link = document.createElement("a");
      link.href = props.url;
      link.textContent = label;
      box.appendChild(link);
    } else {
      box.textContent = label;
    }
    if (props.summary) {
      var text = document.createElement("p");
      text.textContent = props.summary;
      box.appendChild(text);
    }
    layer.bindPopup(box);
  }

  function showGeoJSON(entry, data) {
    // On a finder map a click anywhere navigates (popups would swallow the click).
    var options = { style: styleFor, pointToLayer: pointFor };
    if (!entry.element.dataset.finderUrl) { options.onEachFeature = popupFor; }
    var layer = L.geoJSON(data, options);
    layer.addTo(entry.map);
    var bounds = layer.getBounds();
    if (bounds.isValid() && !entry.element.dataset.pointInput) {
      entry.map.fitBounds(bounds, { padding: [12, 12], maxZoom: 16 });
    }
    return layer;
  }

  function setupPointInput(entry, input) {
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng, { keyboard: false }).addTo(entry.map); }
      input.value = JSON.stringify({ type: "Point", coordinates: [
        Math.round(latlng.lng * 1e6) / 1e6, Math.round(latlng.lat * 1e6) / 1e6] });
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    if (input.value) {
      try {
        var point = JSON.parse(input.value);
        var latlng = L.latLng(point.coordinates[1], point.coordinates[0]);
        marker = L.marker(latlng, { keyboard: false }).addTo(entry.map);
        entry.map.setView(latlng, 16);
      } catch (e) { /* the form shows the error */ }
    }
    entry.map.on("click", function (event) { place(event.latlng); });
    var clear = document.querySelector("[data-clear-point='" + input.id + "']");
    if (clear) {
      clear.hidden = false;
      clear.addEventListener("click", function () {
        if (marker) { entry.map.removeLayer(marker); marker = null; }
        input.value = "";
      });
    }
  }

  function setupBoundaryInput(entry, textarea) {
    var drawn = new L.FeatureGroup().addTo(entry.map);
    function load() {
      drawn.clearLayers();
      if (!textarea.value.trim()) { return; }
      try {
        L.geoJSON(JSON.parse(textarea.value), { style: styleFor }).eachLayer(function (layer) { drawn.addLayer(layer); });
        if (drawn.getBounds().isValid()) { entry.map.fitBounds(drawn.getBounds()); }
      } catch (e) { /* invalid JSON: the validator explains on save */ }
    }
    function store() {
      var polygons = [];
      drawn.eachLayer(function (layer) {
        var geometry = layer.toGeoJSON().geometry;
        if (geometry.type === "Polygon") { polygons.push(geometry.coordinates); }
        if (geometry.type === "MultiPolygon") { polygons = polygons.concat(geometry.coordinates); }
      });
      if (polygons.length === 0) { textarea.value = ""; return; }
      textarea.value = JSON.stringify(polygons.length === 1
        ? { type: "Polygon", coordinates: polygons[0] }
        : { type: "MultiPolygon", coordinates: polygons });
    }
    load();
    textarea.addEventListener("change", load);
    if (L.Control && L.Control.Draw) {
      entry.map.addControl(new L.Control.Draw({
        edit: { featureGroup: drawn },
        draw: { polyline: false, rectangle: false, circle: false, circlemarker: false, marker: false }
      }));
      entry.map.on(L.Draw.Event.CREATED, function (event) { drawn.addLayer(event.layer); store(); });
      entry.map.on(L.Draw.Event.EDITED, store);
      entry.map.on(L.Draw.Event.DELETED, store);
    }
  }

  function init(element) {
    var map = L.map(element, { scrollWheelZoom: false }).setView(config.center, config.zoom);
    var entry = { element: element, map: map, tiles: null, consent: null };
    var block = element.closest(".map-block");
    entry.consent = block ? block.querySelector(".map-consent") : null;
    maps.push(entry);
    if (hasConsent()) {
      addTiles(entry);
    } else if (entry.consent) {
      entry.consent.hidden = false;
      entry.consent.querySelector("button").addEventListener("click", giveConsent);
    }
    var data = element.dataset;
    if (data.geojsonId) {
      var source = document.getElementById(data.geojsonId);
      if (source) { showGeoJSON(entry, JSON.parse(source.textContent)); }
    }
    if (data.geojsonUrl) {
      fetch(data.geojsonUrl, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (geojson) { showGeoJSON(entry, geojson); })
        .catch(function () { element.classList.add("map-failed"); });
    }
    if (data.pointInput) {
      var input = document.getElementById(data.pointInput);
      if (input) { setupPointInput(entry, input); }
    }
    if (data.boundaryInput) {
      var textarea = document.getElementById(data.boundaryInput);
      if (textarea) { setupBoundaryInput(entry, textarea); }
    }
    if (data.finderUrl) {
      map.on("click", function (event) {
        window.location.href = data.finderUrl + "?lat=" + event.latlng.lat.toFixed(6) +
          "&lng=" + event.latlng.lng.toFixed(6);
      });
    }
    element.classList.add("map-ready");
  }

  document.querySelectorAll(".js-map").forEach(init);
})();
