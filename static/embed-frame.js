/* Board embed, inside the iframe: report the content height to the embedding page, sign in
 * through a popup on Board's origin, and send comments through the JSON API with the token.
 *
 * The token lives in this script's memory only (never in storage): reloading the frame forgets
 * it, and it expires by itself within the hour.
 */
(function () {
  'use strict';
  var body = document.body;

  /* -- height ------------------------------------------------------------------------------ */

  // Set by Board only when the origin the loader reported is one allowed to frame this thread.
  var parentOrigin = body.getAttribute('data-parent-origin');
  if (parentOrigin && window.parent !== window) {
    var lastHeight = -1;
    var sendHeight = function () {
      var height = Math.ceil(body.getBoundingClientRect().height);
      if (height !== lastHeight) {
        lastHeight = height;
        window.parent.postMessage({ type: 'board:resize', height: height }, parentOrigin);
      }
    };
    if (window.ResizeObserver) {
      new window.ResizeObserver(sendHeight).observe(body);
    }
    window.addEventListener('load', sendHeight);
    if (document.fonts && document.fonts.ready) {
      document.fonts.ready.then(sendHeight);
    }
    sendHeight();
  }

  /* -- replies ------------------------------------------------------------------------------ */

  var form = document.querySelector('[data-board-form]');
  if (!form) {
    return;
  }
  var textarea = form.querySelector('textarea[name="body"]');
  var consent = form.querySelector('input[name="consent"]');
  var parentField = form.querySelector('input[name="parent_id"]');
  var replying = form.querySelector('[data-board-replying]');
  var replyAuthor = form.querySelector('[data-board-reply-author]');
  var submitButton = form.querySelector('button[type="submit"]');
  var status = form.querySelector('[data-board-status]');
  var signinArea = document.querySelector('[data-board-signin-area]');
  var signinLink = document.querySelector('[data-board-signin]');
  var signinError = document.querySelector('[data-board-signin-error]');
  var identity = document.querySelector('[data-board-identity]');
  var identityName = document.querySelector('[data-board-name]');
  var signoutButton = document.querySelector('[data-board-signout]');
  var token = null;
  var popup = null;

  function setReply(id, author) {
    idempotencyKey = null; // another parent: another comment
    parentField.value = id || '';
    replyAuthor.textContent = author || '';
    replying.hidden = !id;
  }

  document.addEventListener('click', function (event) {
    var link = event.target.closest('[data-reply-id]');
    if (link) {
      event.preventDefault();
      setReply(link.getAttribute('data-reply-id'), link.getAttribute('data-reply-author'));
      (form.hidden ? signinLink : textarea).focus();
      return;
    }
    if (event.target.closest('[data-board-cancel-reply]')) {
      event.preventDefault();
      setReply(null, null);
      textarea.focus();
    }
  });

  /* -- errors and messages ------------------------------------------------------------------ */

  var FIELD_OF = {
    body_required: 'body', body_too_long: 'body', consent_required: 'consent'
  };

  function showError(where, message) {
    var element = form.querySelector('[data-board-error="' + where + '"]');
    element.textContent = message;
    element.hidden = false;
    var input = where === 'body' ? textarea : where === 'consent' ? consent : null;
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      input.closest('.field').classList.add('has-error');
    }
  }

  function clearMessages() {
    Array.prototype.forEach.call(form.querySelectorAll('[data-board-error]'), function (element) {
      element.textContent = '';
      element.hidden = true;
    });
    Array.prototype.forEach.call(form.querySelectorAll('.has-error'), function (element) {
      element.classList.remove('has-error');
    });
    textarea.setAttribute('aria-invalid', 'false');
    consent.setAttribute('aria-invalid', 'false');
    status.hidden = true;
    status.textContent = '';
  }

  /* -- sign-in through the popup ------------------------------------------------------------ */

  function signedIn(newToken, name) {
    token = newToken;
    identityName.textContent = name || 'a member';
    identity.hidden = false;
    signinArea.hidden = true;
    form.hidden = false;
    textarea.focus();
  }

  function signedOut(message) {
    token = null;
    identity.hidden = true;
    signinArea.hidden = false;
    form.hidden = true;
    signinError.textContent = message || '';
    signinError.hidden = !message;
  }

  if (signinLink) {
    signinLink.addEventListener('click', function (event) {
      event.preventDefault();
      popup = window.open(signinLink.href, 'board-signin', 'popup,width=480,height=640');
      if (popup) {
        signinError.hidden = true;
        popup.focus();
      } else {
        signinError.textContent = 'Your browser blocked the sign-in window. Please allow ' +
          'pop-ups for this page and try again.';
        signinError.hidden = false;
      }
    });

    window.addEventListener('message', function (event) {
      // Only our own popup, on Board's own origin, may hand us a token.
      if (event.origin !== window.location.origin || !popup || event.source !== popup) {
        return;
      }
      var data = event.data;
      if (!data || data.type !== 'board:token' || typeof data.token !== 'string') {
        return;
      }
      popup = null;
      signedIn(data.token, typeof data.name === 'string' ? data.name : '');
    });
  }

  if (signoutButton) {
    signoutButton.addEventListener('click', function () {
      var old = token;
      signedOut('');
      signinLink.focus();
      if (old) { // revoke it on the server too; forgetting it is enough if this fails
        fetch(body.getAttribute('data-token-api'), {
          method: 'DELETE', credentials: 'omit', headers: { Authorization: 'Bearer ' + old }
        }).catch(function () {});
      }
    });
  }

  /* -- sending a comment -------------------------------------------------------------------- */

  var MESSAGES = {
    pending: 'Thank you! Your comment awaits moderation and will appear once a moderator ' +
      'approves it.',
    approved: 'Thank you! Your comment is published; reload the page to see it.',
    rejected: 'Thank you. Your comment could not be published; see My comments on Board for ' +
      'the reason.'
  };

  // One key per comment: a retry of the same text (after a lost answer) stores nothing new;
  // editing the text makes it another comment.
  var idempotencyKey = null;

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ('0' + b.toString(16)).slice(-2);
    }).join('');
  }

  [textarea, consent].forEach(function (input) {
    input.addEventListener('input', function () { idempotencyKey = null; });
  });

  form.addEventListener('submit', function (event) {
    if (!token) {
      return; // a member with a Board session in this frame: the ordinary form post
    }
    event.preventDefault();
    clearMessages();
    submitButton.disabled = true;
    idempotencyKey = idempotencyKey || newKey();
    fetch(body.getAttribute('data-api'), {
      method: 'POST',
      credentials: 'omit',
      headers: {
        Authorization: 'Bearer ' + token,
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'Idempotency-Key': idempotencyKey
      },
      body: JSON.stringify({
        body: textarea.value,
        parent_id: parentField.value ? Number(parentField.value) : null,
        consent: consent.checked
      })
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (data) {
        return { response: response, data: data };
      });
    }).then(function (result) {
      var data = result.data || {};
      if (result.response.status === 202) {
        idempotencyKey = null;
        form.reset();
        setReply(null, null);
        status.textContent = MESSAGES[data.state] || MESSAGES.pending;
        status.hidden = false;
        return;
      }
      var error = data.error || {};
      var message = error.message || 'Your comment could not be sent. Please try again.';
      if (result.response.status === 401) {
        signedOut('Your sign-in has expired. Please sign in again; your text is kept.');
        return;
      }
      showError(FIELD_OF[error.code] || 'form', message);
    }).catch(function () {
      showError('form', 'Board could not be reached. Please check your connection and try again.');
    }).then(function () {
      submitButton.disabled = false;
    });
  });
}());
