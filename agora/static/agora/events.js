// Events: the Leaflet maps (events, members, the place in the event form), address suggestions and small
// form helpers. Every page works without this file: the maps' events are listed beside them, addresses
// are searched by a submit button, coordinates can be typed.
(function () {
  "use strict";

  function icon(el) {
    return L.icon({
      iconUrl: el.dataset.icon,
      iconRetinaUrl: el.dataset.icon2x,
      shadowUrl: el.dataset.shadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41],
    });
  }

  function baseMap(el) {
    var map = L.map(el, { worldCopyJump: true }).setView([20, 0], 2);
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution }).addTo(map);
    el.classList.add("map-ready");
    return map;
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    a.dir = "auto";
    return a;
  }

  function popup(props) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var title = document.createElement("strong");
    title.appendChild(link(props.url, props.title));
    box.appendChild(title);
    var when = document.createElement("div");
    when.textContent = props.local_start.replace("T", " ").slice(0, 16) + (props.all_day ? "" : " (" + props.timezone + ")");
    box.appendChild(when);
    if (props.venue) {
      var where = document.createElement("div");
      where.textContent = props.venue;
      where.dir = "auto";
      box.appendChild(where);
    }
    return box;
  }

  function eventsMap(el) {
    var map = baseMap(el);
    var cluster = L.markerClusterGroup ? L.markerClusterGroup() : L.layerGroup();
    var pin = icon(el);
    fetch(el.dataset.geojson, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var bounds = [];
        data.features.forEach(function (f) {
          var c = f.geometry.coordinates; // GeoJSON: [longitude, latitude]
          var marker = L.marker([c[1], c[0]], { icon: pin, title: f.properties.title });
          marker.bindPopup(popup(f.properties));
          cluster.addLayer(marker);
          bounds.push([c[1], c[0]]);
        });
        map.addLayer(cluster);
        if (bounds.length) map.fitBounds(bounds, { maxZoom: 12, padding: [20, 20] });
        el.dataset.markers = String(bounds.length);
      });
  }

  function peopleMap(el) {
    var map = baseMap(el);
    var cluster = L.markerClusterGroup ? L.markerClusterGroup() : L.layerGroup();
    var pin = icon(el);
    document.querySelectorAll(".people-list li[data-lat]").forEach(function (li) {
      var a = li.querySelector("a");
      var marker = L.marker([parseFloat(li.dataset.lat), parseFloat(li.dataset.lon)], { icon: pin });
      var box = document.createElement("div");
      box.appendChild(link(a.getAttribute("href"), a.textContent));
      var city = document.createElement("div");
      city.textContent = li.querySelector(".meta").textContent;
      box.appendChild(city);
      marker.bindPopup(box);
      cluster.addLayer(marker);
    });
    map.addLayer(cluster);
  }

  function placeMap(el) {
    var lat = document.getElementById("id_latitude");
    var lon = document.getElementById("id_longitude");
    if (!lat || !lon) return;
    var map = baseMap(el);
    var pin = icon(el);
    var marker = null;
    function show(zoom) {
      var a = parseFloat(lat.value), b = parseFloat(lon.value);
      if (isNaN(a) || isNaN(b)) return;
      if (marker) marker.setLatLng([a, b]);
      else marker = L.marker([a, b], { icon: pin }).addTo(map);
      map.setView([a, b], zoom || Math.max(map.getZoom(), 13));
    }
    map.on("click", function (e) {
      var p = e.latlng.wrap();
      lat.value = p.lat.toFixed(6);
      lon.value = p.lng.toFixed(6);
      show(map.getZoom());
    });
    lat.addEventListener("change", function () { show(); });
    lon.addEventListener("change", function () { show(); });
    show(13);
    el.placeMarker = show;
  }

  function fillPlace(button) {
    var set = function (id, value) {
      var field = document.getElementById(id);
      if (field && value !== undefined) {
        field.value = value;
        field.dispatchEvent(new Event("change"));
      }
    };
    set("id_latitude", parseFloat(button.dataset.lat).toFixed(6));
    set("id_longitude", parseFloat(button.dataset.lon).toFixed(6));
    if (button.dataset.country) set("id_country", button.dataset.country);
    var address = document.getElementById("id_address");
    if (address && button.dataset.label) address.value = button.dataset.label;
    var results = document.getElementById("geocode-results");
    if (results) results.textContent = "";
  }

  function suggestionButton(place) {
    var li = document.createElement("li");
    var b = document.createElement("button");
    b.type = "button";
    b.className = "link suggestion";
    b.textContent = place.label;
    b.dataset.lat = place.latitude;
    b.dataset.lon = place.longitude;
    b.dataset.country = place.country;
    b.dataset.label = place.label;
    b.addEventListener("click", function () { fillPlace(b); });
    li.appendChild(b);
    return li;
  }

  function geocoding(form) {
    var address = form.querySelector("[data-geocode]");
    var results = document.getElementById("geocode-results");
    var button = form.querySelector(".geocode-button");
    if (!address || !results) return;
    results.querySelectorAll("button.suggestion").forEach(function (b) {
      b.disabled = false;
      b.type = "button";
      b.addEventListener("click", function () { fillPlace(b); });
    });
    function search() {
      var q = address.value.trim();
      if (q.length < 3) return;
      fetch("/events/geocode?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          results.textContent = "";
          if (data.error) {
            var p = document.createElement("p");
            p.className = "error";
            p.textContent = data.error;
            results.appendChild(p);
            return;
          }
          var ul = document.createElement("ul");
          ul.className = "suggestions";
          data.results.forEach(function (place) { ul.appendChild(suggestionButton(place)); });
          results.appendChild(ul);
        });
    }
    if (button) {
      button.addEventListener("click", function (e) {
        e.preventDefault();
        search();
      });
    }
    var timer = null;
    address.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 800);
    });
  }

  function allDayToggle(form) {
    var box = document.getElementById("id_all_day");
    if (!box) return;
    function update() { form.classList.toggle("all-day", box.checked); }
    box.addEventListener("change", update);
    update();
  }

  // "Does not repeat" hides the parts of a rule (without JavaScript they all stay, and are ignored); a
  // rule typed in full keeps them, as its dates to skip apply to it too.
  function repeatToggle(form) {
    var frequency = form.querySelector("#id_frequency");
    var typed = form.querySelector("#id_rrule");
    if (!frequency) return;
    var parts = ["id_interval", "id_weekdays", "id_monthly_by", "id_ends", "id_until", "id_count", "id_exdates"];
    function update() {
      var repeats = frequency.value !== "" || (typed && typed.value.trim() !== "");
      parts.forEach(function (id) {
        var el = document.getElementById(id);
        var field = el && el.closest(".field");
        if (field && !field.classList.contains("has-error")) field.hidden = !repeats;
      });
    }
    frequency.addEventListener("change", update);
    if (typed) typed.addEventListener("input", update);
    update();
  }

  function zonePicker() {
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    document.querySelectorAll("input.zone-picker").forEach(function (input) {
      if (!zone || input.value === zone) return;
      var b = document.createElement("button");
      b.type = "submit";
      b.className = "link";
      b.textContent = zone;
      b.title = input.value;
      b.addEventListener("click", function () { input.value = zone; });
      input.parentNode.appendChild(b);
    });
  }

  function start() {
    var hasLeaflet = typeof window.L !== "undefined";
    var events = document.getElementById("event-map");
    if (events && hasLeaflet) eventsMap(events);
    var people = document.getElementById("people-map");
    if (people && hasLeaflet) peopleMap(people);
    var place = document.getElementById("place-map");
    if (place && hasLeaflet) placeMap(place);
    var form = document.querySelector("form.event-form");
    if (form) {
      geocoding(form);
      allDayToggle(form);
      repeatToggle(form);
    }
    zonePicker();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
