// The window's evaluator pad (评价器, R7): armed when the window finishes a transaction, five
// levels, nothing pre-selected; one touch sends evaluate once; no touch within the configured time
// sends nothing ("not rated"). Staff cannot rate: this page never sends actorStaffId.
(async function () {
  'use strict';
  const cfg = await Hall.load();
  const $ = id => document.getElementById(id);
  const windowId = Hall.param('window');
  const win = cfg.windows.find(w => w.id === windowId);
  const setOnline = Hall.offlineBanner();
  document.title = Hall.t('title.evaluator') + ' ' + (win ? win.name : windowId);
  $('title').textContent = (win ? win.name : windowId) + ' · ' + Hall.t('title.evaluator');
  let armedSeq = 0, timer = null, tick = null, sent = false;
  const names = {};

  function idle(text) {
    clearTimeout(timer); clearInterval(tick);
    document.body.dataset.state = 'idle';
    $('levels').hidden = true; $('levels').replaceChildren();
    $('prompt').textContent = text || Hall.t('eval.idle');
    $('who').textContent = ''; $('countdown').textContent = '';
  }
  function arm(e) {
    sent = false;
    document.body.dataset.state = 'armed';
    document.body.dataset.ticket = e.ticket;
    $('prompt').textContent = Hall.t('eval.prompt');
    $('who').textContent = Hall.t('eval.ticket', { ticket: e.ticket, staff: names[e.staff] || e.staff || '' });
    const box = $('levels'); box.replaceChildren();
    for (const level of [5, 4, 3, 2, 1]) {
      const b = Hall.el('button', 'big', Hall.t('eval.level.' + level));
      b.dataset.level = level; b.type = 'button';
      b.onclick = () => rate(level);
      box.appendChild(b);
    }
    box.hidden = false;
    let left = cfg.evaluatorSeconds;
    $('countdown').textContent = left + ' s';
    clearInterval(tick); tick = setInterval(() => { left--; $('countdown').textContent = Math.max(0, left) + ' s'; }, 1000);
    clearTimeout(timer); timer = setTimeout(() => idle(), cfg.evaluatorSeconds * 1000);
  }
  async function rate(level) {
    if (sent) return;
    sent = true;
    document.querySelectorAll('#levels button').forEach(b => { b.disabled = true; });
    const r = await Hall.command('evaluate', { window: windowId, level: level });
    $('msg').textContent = r.ok ? '' : Hall.errorText(r.error.code);
    idle(r.ok ? Hall.t('eval.thanks') : undefined);
    setTimeout(() => { if (document.body.dataset.state === 'idle') $('prompt').textContent = Hall.t('eval.idle'); }, 5000);
  }
  idle();

  function start(credentials) {
    Hall.connect(['status', 'windows/' + windowId, 'events/service.finished', 'events/evaluation.recorded'], {
      onState: setOnline,
      onMessage: function (topic, m) {
        if (!m) return;
        if (topic === 'windows/' + windowId) { if (m.staff) names[m.staff.id] = m.staff.name; return; }
        if (m.window !== windowId) return;
        if (m.type === 'service.finished' && m.outcome !== 'TRANSFERRED' && m.seq > armedSeq) { armedSeq = m.seq; arm(m); }
        else if (m.type === 'evaluation.recorded' && document.body.dataset.state === 'armed' && !sent) idle(Hall.t('eval.thanks'));
      }
    }, credentials);
  }
  const creds = Hall.credentials();
  if (creds) start(creds); else Hall.setupForm(document.body, () => start(Hall.credentials()));
})();
