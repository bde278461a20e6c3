// The hall screen (综合屏): latest calls, queues with estimates (R14), windows with staff (R12),
// hall state (R3), citizens' alerts and device notices (R5). State from the retained topics,
// calls from the events; "offline" when the broker or the hall is gone (Last Will).
(async function () {
  'use strict';
  const cfg = await Hall.load();
  const $ = id => document.getElementById(id);
  document.title = Hall.t('title.screen') + ' · ' + cfg.hallName;
  $('hall').textContent = cfg.hallName;
  $('t-calls').textContent = Hall.t('calls');
  $('t-queues').textContent = Hall.t('queues');
  $('t-windows').textContent = Hall.t('windows');
  const setOnline = Hall.offlineBanner();
  let brokerUp = false, hallUp = false;
  const refreshOnline = () => setOnline(brokerUp && hallUp);

  const categories = {}, windows = {}, devices = {};
  let calls = []; // {ticket, window, seq, at}
  const windowName = id => (windows[id] && windows[id].name) || ((cfg.windows.find(w => w.id === id) || {}).name) || (id + '号窗口');

  function showVoiceNote(text) { const v = $('voice'); v.textContent = text; v.hidden = false; }
  setTimeout(() => HallVoice.checkVoice(showVoiceNote), 1500);

  function renderCalls() {
    const box = $('calls'); box.replaceChildren();
    const now = Date.now();
    for (const c of calls.slice(0, cfg.screenCalls)) {
      const row = Hall.el('div', 'call' + (now - c.at < cfg.highlightSeconds * 1000 && c.live ? ' new' : ''));
      row.dataset.ticket = c.ticket;
      row.append(Hall.el('span', 'tk', c.ticket), Hall.el('span', 'win', windowName(c.window)));
      box.appendChild(row);
    }
  }
  function renderQueues() {
    const t = $('queues'); t.replaceChildren();
    for (const id of Object.keys(categories).sort()) {
      const c = categories[id];
      const tr = Hall.el('tr'); tr.dataset.category = id;
      const name = Hall.el('td', null, c.name + ' (' + id + ')');
      if (c.priorityWaiting > 0) name.appendChild(Hall.el('span', 'prio', ' 绿色通道 ' + c.priorityWaiting));
      if (c.alert && c.alert.text) name.appendChild(Hall.el('div', 'alert', c.alert.text));
      const w = Hall.el('td', 'waiting', Hall.t('waiting', { n: c.waiting }));
      const e = Hall.el('td', 'estimate', c.estimatedWaitSeconds < 0 ? Hall.t('estimate.none')
        : Hall.t('estimate', { m: Math.max(1, Math.round(c.estimatedWaitSeconds / 60)) }));
      tr.append(name, w, e); t.appendChild(tr);
    }
  }
  function renderWindows() {
    const t = $('windows'); t.replaceChildren();
    for (const id of Object.keys(windows).sort((a, b) => a.localeCompare(b, 'zh', { numeric: true }))) {
      const w = windows[id];
      const tr = Hall.el('tr'); tr.dataset.window = id;
      let state = w.state === 'CLOSED' ? Hall.t('window.closed')
        : w.state === 'PAUSED' && w.pause ? Hall.t('window.paused.' + w.pause.kind) : (w.ticket || '');
      tr.append(Hall.el('td', null, w.name),
        Hall.el('td', 'staff', w.staff ? Hall.t('window.staff', { name: w.staff.name || '', id: w.staff.id }) : ''),
        Hall.el('td', 'state', state));
      t.appendChild(tr);
    }
  }
  // At most this many device notices, then one line with the count of the others: a hall with many
  // devices down (the demo's RS-485 displays, keypads and evaluators are not attached) must not push
  // the calls and queues off the screen.
  const MAX_NOTICES = 3;
  function renderNotices() {
    const n = $('notices'); n.replaceChildren();
    const down = Object.keys(devices).sort().filter(id => devices[id].status === 'FAULT' || devices[id].status === 'OFFLINE');
    for (const id of down.slice(0, MAX_NOTICES)) {
      const d = devices[id];
      const div = Hall.el('div', 'notice', (d.window ? windowName(d.window) + ' ' : '') + id + ':' + Hall.t('device.fault') + (d.text ? '(' + d.text + ')' : ''));
      div.dataset.device = id; n.appendChild(div);
    }
    if (down.length > MAX_NOTICES) {
      const more = Hall.el('div', 'notice more', Hall.t('device.more', { n: down.length - MAX_NOTICES }));
      more.id = 'moreNotices'; n.appendChild(more);
    }
  }
  function addCall(e, live) {
    calls = calls.filter(c => !(c.ticket === e.ticket));
    calls.unshift({ ticket: e.ticket, window: e.window, seq: e.seq, at: Date.now(), live: live });
    renderCalls();
  }
  setInterval(() => { renderCalls(); $('clock').textContent = new Date().toLocaleString('zh-CN'); }, 1000);

  Hall.connect(['status', 'categories/+', 'windows/+', 'devices/+', 'events/#'], {
    onState: function (up) { brokerUp = up; if (!up) hallUp = false; refreshOnline(); },
    onMessage: function (topic, m) {
      const [kind, id] = [topic.split('/')[0], topic.substring(topic.indexOf('/') + 1)];
      if (topic === 'status') {
        hallUp = !!(m && m.online);
        if (m && m.hallState) { const s = $('state'); s.textContent = Hall.t('hall.' + m.hallState); s.className = m.hallState; s.dataset.state = m.hallState; }
        refreshOnline();
      } else if (kind === 'categories') {
        if (m) categories[id] = m; else delete categories[id];
        renderQueues();
      } else if (kind === 'windows') {
        if (m) {
          const before = windows[id];
          windows[id] = m;
          // A screen that starts (or reconnects) learns current calls from the windows' state.
          if (m.ticket && m.state === 'CALLING' && !calls.some(c => c.ticket === m.ticket) && !(before && before.ticket === m.ticket)) {
            addCall({ ticket: m.ticket, window: id, seq: m.seq }, false);
          }
        } else delete windows[id];
        renderWindows(); renderCalls();
      } else if (kind === 'devices') {
        if (m) devices[id] = m; else delete devices[id];
        renderNotices();
      } else if (kind === 'events' && m) {
        if (m.type === 'ticket.called' || m.type === 'ticket.recalled') {
          if (HallVoice.announce(m.seq, m.announcement)) addCall(m, true);
        }
      }
    }
  });
})();
