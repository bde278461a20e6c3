// The kiosk's touch screen (取号机): one touch issues a ticket through issue-ticket naming this
// kiosk, so the hall prints it on the kiosk's printer (failover R5); the page shows the number.
(async function () {
  'use strict';
  const cfg = await Hall.load();
  const $ = id => document.getElementById(id);
  const kioskId = Hall.param('id');
  const kiosk = cfg.kiosks.find(k => k.id === kioskId);
  document.title = Hall.t('title.kiosk') + ' ' + (kioskId || '');
  $('title').textContent = cfg.hallName + ' · ' + Hall.t('kiosk.take');
  const setOnline = Hall.offlineBanner();
  if (!kiosk) { $('msg').textContent = Hall.errorText('NO_KIOSK'); return; }
  const names = Object.fromEntries(cfg.categories.map(c => [c.id, c.name]));
  const waiting = {};
  let busy = false, resultTimer = null;

  function render() {
    const box = $('buttons'); box.replaceChildren();
    for (const id of kiosk.categories) {
      const b = Hall.el('button', 'big', names[id] || id);
      b.dataset.category = id;
      const w = waiting[id];
      b.appendChild(Hall.el('small', null, id + (w !== undefined ? ' · ' + Hall.t('waiting', { n: w }) : '')));
      b.disabled = busy;
      b.onclick = () => issue(id);
      box.appendChild(b);
    }
  }
  if (kiosk.greenChannel) { $('green').hidden = false; $('greenText').textContent = Hall.t('kiosk.green'); }
  $('checkinTitle').textContent = Hall.t('kiosk.checkin');
  $('code').placeholder = Hall.t('kiosk.code');
  $('checkinBtn').textContent = Hall.t('kiosk.submit');
  for (const id of kiosk.categories) { const o = Hall.el('option', null, names[id] || id); o.value = id; $('ccat').appendChild(o); }

  function show(reply) {
    busy = false; render();
    if (!reply.ok) { $('msg').textContent = Hall.errorText(reply.error.code); $('result').hidden = true; return; }
    const r = reply.result;
    $('msg').textContent = '';
    $('your').textContent = Hall.t('kiosk.your');
    $('number').textContent = r.ticket.number;
    $('ahead').textContent = Hall.t('kiosk.ahead', { n: r.peopleAhead });
    $('estimate').textContent = r.estimatedWaitSeconds < 0 ? Hall.t('estimate.none')
      : Hall.t('kiosk.estimate', { m: Math.max(1, Math.round(r.estimatedWaitSeconds / 60)) });
    $('printed').textContent = r.printed ? Hall.t('kiosk.printed') : '';
    $('notprinted').textContent = r.printed ? '' : Hall.t('kiosk.notprinted');
    $('result').hidden = false;
    clearTimeout(resultTimer);
    resultTimer = setTimeout(() => { $('result').hidden = true; }, 30000);
  }
  async function issue(category) {
    if (busy) return;
    busy = true; render(); $('msg').textContent = Hall.t('kiosk.busy');
    const args = { category: category, kiosk: kioskId };
    if ($('greenBox').checked) args.priority = 'GREEN_CHANNEL';
    $('greenBox').checked = false;
    show(await Hall.command('issue-ticket', args));
  }
  $('checkinBtn').onclick = async function () {
    const code = $('code').value.trim();
    if (!code || !$('slotStart').value || !$('slotEnd').value) { $('msg').textContent = Hall.errorText('INVALID_ARGUMENT'); return; }
    const day = new Date();
    const at = t => { const [h, m] = t.split(':'); const d = new Date(day); d.setHours(+h, +m, 0, 0); return d.toISOString(); };
    busy = true; render();
    show(await Hall.command('check-in', { code: code, category: $('ccat').value, slotStart: at($('slotStart').value),
      slotEnd: at($('slotEnd').value), kiosk: kioskId }));
    $('code').value = '';
  };

  function start(credentials) {
    render();
    Hall.connect(['status', 'categories/+', 'devices/+'], {
      onState: setOnline,
      onMessage: function (topic, m) {
        if (topic.startsWith('categories/') && m) { waiting[m.id] = m.waiting; render(); }
      }
    }, credentials);
  }
  const creds = Hall.credentials();
  if (creds) start(creds); else Hall.setupForm(document.body, () => start(Hall.credentials()));
})();
