/* Meridian Forum – live series listing.
 * Fetches the programme as JSON and inserts one link per event. */
(function () {
  'use strict';
  var box = document.getElementById('live-events');
  if (!box) { return; }
  var src = box.getAttribute('data-src');
  fetch(src, { headers: { 'Accept': 'application/json' } })
    .then(function (response) {
      if (!response.ok) { throw new Error('HTTP ' + response.status); }
      return response.json();
    })
    .then(function (data) {
      var list = document.createElement('ul');
      list.className = 'event-list';
      data.events.forEach(function (ev) {
        var item = document.createElement('li');
        item.className = 'event-item';
        var heading = document.createElement('h2');
        var link = document.createElement('a');
        link.href = ev.url;
        link.textContent = ev.title;
        heading.appendChild(link);
        item.appendChild(heading);
        var date = document.createElement('p');
        date.className = 'event-date';
        date.textContent = ev.date;
        item.appendChild(date);
        var teaser = document.createElement('p');
        teaser.className = 'teaser';
        teaser.textContent = ev.teaser;
        item.appendChild(teaser);
        list.appendChild(item);
      });
      while (box.firstChild) { box.removeChild(box.firstChild); }
      box.appendChild(list);
    })
    .catch(function () {
      box.textContent = 'Sorry, the live programme could not be loaded.';
    });
})();
