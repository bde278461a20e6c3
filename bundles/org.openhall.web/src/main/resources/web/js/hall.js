// Shared by the pages: configuration and texts from the hall, one MQTT.js client with automatic
// reconnect, commands with replies (docs/mqtt.md, contract v1, nothing else).
(function () {
  'use strict';
  const H = {};
  window.Hall = H;

  H.param = function (name) { return new URLSearchParams(location.search).get(name); };
  H.t = function (key, vars) {
    let s = (H.texts && H.texts[key]) || key;
    if (vars) for (const k of Object.keys(vars)) s = s.split('{' + k + '}').join(vars[k]);
    return s;
  };
  H.el = function (tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  };
  H.uuid = function () {
    if (window.crypto && crypto.randomUUID) { try { return crypto.randomUUID(); } catch (e) { /* not secure */ } }
    const b = new Uint8Array(16); crypto.getRandomValues(b);
    return Array.from(b, x => x.toString(16).padStart(2, '0')).join('');
  };
  H.errorText = function (code) {
    const k = 'error.' + code;
    return (H.texts && H.texts[k]) || H.t('error.other') + '(' + code + ')';
  };

  // Device credentials (MQTT user of the broker's "users") for pages that send commands. Given once
  // when the device is set up, in the address's fragment (#user=…&password=…, never sent to the
  // server) or in the setup form, and kept in this browser's localStorage, per page: the broker
  // gives each role its own commands (a kiosk user issues tickets, a caller user runs windows, an
  // evaluator user rates; docs/mqtt.md, Security), so a browser that opens several pages keeps
  // each page's user.
  const key = function (what) {
    return 'openhall.mqtt.' + (location.pathname.replace(/^\/+|\/+$/g, '') || 'index') + '.' + what;
  };
  H.credentials = function () {
    const f = new URLSearchParams(location.hash.substring(1));
    if (f.get('user')) {
      localStorage.setItem(key('user'), f.get('user'));
      localStorage.setItem(key('password'), f.get('password') || '');
      history.replaceState(null, '', location.pathname + location.search);
    }
    const user = localStorage.getItem(key('user'));
    return user ? { username: user, password: localStorage.getItem(key('password')) || '' } : null;
  };

  H.setupForm = function (container, onSaved) {
    const box = H.el('form', 'setup');
    box.appendChild(H.el('h2', null, H.t('device.login')));
    const u = H.el('input'); u.name = 'user'; u.placeholder = H.t('device.user');
    const p = H.el('input'); p.name = 'password'; p.type = 'password'; p.placeholder = H.t('device.password');
    const b = H.el('button', 'big', H.t('device.save')); b.type = 'submit';
    box.append(u, p, b);
    box.onsubmit = function (ev) {
      ev.preventDefault();
      localStorage.setItem(key('user'), u.value);
      localStorage.setItem(key('password'), p.value);
      box.remove();
      onSaved();
    };
    container.appendChild(box);
  };

  H.load = async function () {
    const [cfg, texts] = await Promise.all([
      fetch('/config.json', { cache: 'no-store' }).then(r => r.json()),
      fetch('/i18n/zh.json').then(r => r.json())]);
    H.config = cfg; H.texts = texts;
    H.root = cfg.topicRoot;
    return cfg;
  };

  /**
   * Connects to the hall's broker over WebSocket. handlers: onMessage(topic, json|null, raw),
   * onState(online:boolean). subscriptions: topic filters below the root.
   */
  H.connect = function (subscriptions, handlers, credentials) {
    const url = H.config.brokerUrl.replace('{host}', location.hostname || '127.0.0.1');
    H.clientId = 'web-' + H.uuid().replace(/-/g, '').substring(0, 16);
    const opts = { clientId: H.clientId, keepalive: 5, reconnectPeriod: 2000, connectTimeout: 5000,
      clean: true, protocolVersion: 4 };
    if (credentials) { opts.username = credentials.username; opts.password = credentials.password; }
    const client = mqtt.connect(url, opts);
    H.client = client;
    H.pending = new Map();
    // Replies below the user's own replies/{user}/, which a broker with per-user ACLs (Mosquitto
    // example, replies/%u/#) lets the user read; the embedded broker allows any topic under replies/.
    H.replyTopic = H.root + '/replies/' + (credentials ? credentials.username + '/' : '') + H.clientId;
    client.on('connect', function () {
      // Subscribe after CONNACK only (Moquette 0.17 may drop a client that subscribes earlier).
      const topics = subscriptions.map(s => H.root + '/' + s);
      if (credentials) topics.push(H.replyTopic);
      client.subscribe(topics, { qos: 1 });
      handlers.onState && handlers.onState(true);
    });
    const down = function () { handlers.onState && handlers.onState(false); };
    client.on('close', down);
    client.on('offline', down);
    client.on('error', function () { /* MQTT.js reconnects by itself */ });
    client.on('message', function (topic, payload) {
      let json = null;
      if (payload && payload.length) { try { json = JSON.parse(new TextDecoder().decode(payload)); } catch (e) { json = null; } }
      if (topic === H.replyTopic && json && H.pending.has(json.requestId)) {
        const p = H.pending.get(json.requestId); H.pending.delete(json.requestId);
        clearTimeout(p.timer); p.resolve(json);
        return;
      }
      handlers.onMessage && handlers.onMessage(topic.substring(H.root.length + 1), json, payload);
    });
    return client;
  };

  /** How often a command without reply is sent again, with the same requestId (docs/mqtt.md). */
  H.resendMs = 5000;

  /**
   * Sends a command and resolves with its reply ({ok, result} or {ok:false, error}). A command
   * the broker dropped (sent just while the hall restarted) gets no reply: it is sent again with
   * the same requestId every H.resendMs until the timeout; the hall carries it out once and
   * answers a repeat with the first reply.
   */
  H.command = function (name, args, timeoutMs) {
    return new Promise(function (resolve) {
      if (!H.client || !H.client.connected) { resolve({ ok: false, error: { code: 'OFFLINE' } }); return; }
      const requestId = H.uuid();
      const topic = H.root + '/commands/' + name;
      const msg = JSON.stringify(Object.assign({ requestId: requestId, clientId: H.clientId, replyTo: H.replyTopic }, args));
      const resend = setInterval(function () {
        if (H.pending.has(requestId) && H.client.connected) H.client.publish(topic, msg, { qos: 1 });
      }, H.resendMs);
      const timer = setTimeout(function () {
        clearInterval(resend);
        H.pending.delete(requestId); resolve({ ok: false, error: { code: 'TIMEOUT' } });
      }, timeoutMs || 15000);
      H.pending.set(requestId, { resolve: function (reply) { clearInterval(resend); resolve(reply); }, timer: timer });
      H.client.publish(topic, msg, { qos: 1 });
    });
  };

  H.offlineBanner = function () {
    const b = H.el('div', 'offline', H.t('offline'));
    b.id = 'offline'; b.hidden = false;
    document.body.appendChild(b);
    return function (online) { b.hidden = online; document.body.classList.toggle('is-offline', !online); };
  };
})();
