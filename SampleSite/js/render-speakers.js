/* Meridian Forum – renders an event's speakers from JSON.
 * The container's data-src attribute names the JSON file. */
(function () {
  'use strict';
  var box = document.getElementById('speaker-list');
  if (!box) { return; }
  var labels = { keynote: 'Keynote', moderator: 'Moderator', host: 'Host' };
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }
  fetch(box.getAttribute('data-src'))
    .then(function (response) { return response.json(); })
    .then(function (data) {
      data.speakers.forEach(function (sp) {
        var card = el('div', 'speaker-card');
        var img = el('img');
        img.src = '/img/portrait.svg';
        img.alt = '';
        card.appendChild(img);
        if (labels[sp.role]) { card.appendChild(el('span', 'badge', labels[sp.role])); }
        card.appendChild(el('h3', null, sp.name));
        if (sp.title) { card.appendChild(el('p', 'role', sp.title)); }
        if (sp.organisation) { card.appendChild(el('p', 'org', sp.organisation)); }
        if (sp.bio) { card.appendChild(el('p', 'bio', sp.bio)); }
        box.appendChild(card);
      });
    })
    .catch(function () {
      box.textContent = 'Speaker details could not be loaded.';
    });
})();
