/* Board sign-in popup: hand the new short-lived token to the embed that opened this window.
 *
 * The opener is the embed's iframe, which is served from Board's own origin, so the target
 * origin is fixed to this page's origin: no other page can ever receive the token.
 */
(function () {
  'use strict';
  var handoff = document.querySelector('[data-board-handoff]');
  if (!handoff || !window.opener || window.opener.closed) {
    return;
  }
  try {
    window.opener.postMessage({
      type: 'board:token',
      token: handoff.getAttribute('data-token'),
      name: handoff.getAttribute('data-name'),
      expiresAt: handoff.getAttribute('data-expires-at')
    }, window.location.origin);
  } catch (error) {
    return; // the opener went away; the page tells the member what to do
  }
  handoff.removeAttribute('data-token');
  window.close();
}());
