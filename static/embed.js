/* Board loader: turns <script src=".../embed.js" data-thread="KEY" async></script> into the
 * thread's iframe, inserted right after the script, and keeps the iframe as tall as its content.
 *
 * Data attributes: data-thread (required); data-title and data-url (default: this page's);
 * data-accent, data-background, data-text (hex colours) and data-font (theme, validated by Board).
 * Height messages are accepted only from Board's origin and only from this script's own iframe.
 */
(function () {
  'use strict';
  var THEME = ['accent', 'background', 'text', 'font'];
  var MAX_HEIGHT = 100000;

  function isLoader(script) {
    try {
      return /\/embed\.js$/.test(new URL(script.src, window.location.href).pathname);
    } catch (error) {
      return false;
    }
  }

  function pageUrl() {
    var url = new URL(window.location.href);
    url.hash = '';
    return url.href;
  }

  function embed(script) {
    var key = script.getAttribute('data-thread');
    script.setAttribute('data-board-embedded', 'true');
    if (!key) {
      window.console.error('Board: the embed script needs a data-thread attribute.');
      return;
    }
    var scriptUrl = new URL(script.src, window.location.href);
    var boardOrigin = scriptUrl.origin;
    var src = new URL('embed/' + encodeURIComponent(key), scriptUrl);
    if (window.location.origin && window.location.origin !== 'null') {
      src.searchParams.set('origin', window.location.origin);
    }
    src.searchParams.set('url', script.getAttribute('data-url') || pageUrl());
    src.searchParams.set('title', (script.getAttribute('data-title') || document.title || '').slice(0, 300));
    THEME.forEach(function (name) {
      var value = script.getAttribute('data-' + name);
      if (value) {
        src.searchParams.set(name, value);
      }
    });

    var frame = document.createElement('iframe');
    frame.src = src.href;
    frame.title = script.getAttribute('data-frame-title') || 'Comments';
    frame.className = 'board-embed';
    frame.setAttribute('data-thread', key);
    frame.style.display = 'block';
    frame.style.width = '100%';
    frame.style.height = '20rem';
    frame.style.border = '0';
    script.parentNode.insertBefore(frame, script.nextSibling);

    window.addEventListener('message', function (event) {
      if (event.origin !== boardOrigin || event.source !== frame.contentWindow) {
        return;
      }
      var data = event.data;
      if (!data || data.type !== 'board:resize') {
        return;
      }
      var height = Number(data.height);
      if (isFinite(height) && height >= 0 && height <= MAX_HEIGHT) {
        frame.style.height = Math.ceil(height) + 'px';
      }
    });
  }

  var scripts = document.querySelectorAll('script[data-thread]:not([data-board-embedded])');
  Array.prototype.forEach.call(scripts, function (script) {
    if (isLoader(script)) {
      embed(script);
    }
  });
}());
