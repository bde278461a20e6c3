// The software caller (软呼叫器) of one window. Staff sign in with the hall's one-time challenge
// (docs/mqtt.md, "Signing in"): the PIN never leaves this page. PBKDF2 and HMAC come from
// @noble/hashes because WebCrypto (crypto.subtle) exists only in secure contexts, and a hall
// tablet opens http://<hall>:8080. Every action is attributed to the signed-in staff (R17).
import { pbkdf2Async } from '/vendor/noble-hashes/esm/pbkdf2.js';
import { hmac } from '/vendor/noble-hashes/esm/hmac.js';
import { sha256 } from '/vendor/noble-hashes/esm/sha2.js';

const cfg = await Hall.load();
const $ = id => document.getElementById(id);
const windowId = Hall.param('window');
const win = cfg.windows.find(w => w.id === windowId);
const setOnline = Hall.offlineBanner();
document.title = Hall.t('title.caller') + ' ' + (win ? win.name : '');
$('title').textContent = (win ? win.name : windowId) + ' · ' + Hall.t('title.caller');
$('staffId').placeholder = Hall.t('caller.staff');
$('pin').placeholder = Hall.t('caller.pin');
$('signinBtn').textContent = Hall.t('caller.signin');
$('t-current').textContent = Hall.t('caller.current');
$('t-queue').textContent = Hall.t('caller.queue');
$('reason').placeholder = Hall.t('caller.reason');
$('legal').placeholder = Hall.t('caller.legal');
const labels = { 'call-next': 'caller.next', recall: 'caller.recall', start: 'caller.start', done: 'caller.done',
  'no-show': 'caller.noshow', incomplete: 'caller.incomplete', refuse: 'caller.refuse', transfer: 'caller.transfer',
  brief: 'caller.pause', suspend: 'caller.suspend', resume: 'caller.resume', close: 'caller.close' };
document.querySelectorAll('button[data-op]').forEach(b => { b.textContent = Hall.t(labels[b.dataset.op]); });
for (const c of cfg.categories) { const o = Hall.el('option', null, Hall.t('caller.toCategory') + ' ' + c.name); o.value = c.id; $('toCategory').appendChild(o); }
{ const o = Hall.el('option', null, Hall.t('caller.toWindow')); o.value = ''; $('toWindow').appendChild(o); }
for (const w of cfg.windows) { const o = Hall.el('option', null, w.name); o.value = w.id; $('toWindow').appendChild(o); }

let staffId = null, current = null;
const categories = {};
const b64 = bytes => btoa(String.fromCharCode(...bytes));
const unb64 = s => Uint8Array.from(atob(s), c => c.charCodeAt(0));
const utf8 = s => new TextEncoder().encode(s);

function message(reply, okText) {
  $('msg').textContent = reply.ok ? (okText || Hall.t('caller.ok')) : Hall.errorText(reply.error.code);
  $('msg').dataset.code = reply.ok ? 'OK' : reply.error.code;
  return reply.ok;
}

function renderWindow(w) {
  if (!w) return;
  current = w.ticket;
  $('current').textContent = w.ticket || Hall.t('caller.none');
  $('state').textContent = w.state === 'PAUSED' && w.pause ? Hall.t('window.paused.' + w.pause.kind)
    : w.state === 'CLOSED' ? Hall.t('window.closed') : Hall.t('window.state.' + w.state);
  $('state').dataset.state = w.state;
  const signedIn = w.state !== 'CLOSED' && w.staff && w.staff.id === staffId;
  $('desk').hidden = !signedIn; $('signin').hidden = !!signedIn;
  if (w.staff && signedIn) $('staff').textContent = Hall.t('window.staff', { name: w.staff.name || '', id: w.staff.id });
  if (w.state === 'CLOSED' && staffId) staffId = null;
  renderMaterials(w);
  renderQueue(w);
}
let lastWindow = null;
function renderMaterials(w) {
  const box = $('materials'); box.replaceChildren();
  const cat = w && w.ticket ? w.ticket.charAt(0) : null;
  if (!cat) return;
  const seen = new Set();
  for (const item of cfg.serviceItems.filter(i => i.category === cat)) {
    for (const m of item.materials) {
      if (seen.has(m)) continue; seen.add(m);
      const l = Hall.el('label'); const c = Hall.el('input'); c.type = 'checkbox'; c.value = m;
      l.append(c, ' ' + m); box.appendChild(l);
    }
  }
}
function renderQueue(w) {
  const t = $('queue'); t.replaceChildren();
  const served = (w && w.categories) || (win ? win.categories : []);
  for (const id of served) {
    const c = categories[id]; if (!c) continue;
    const tr = Hall.el('tr'); tr.dataset.category = id;
    tr.append(Hall.el('td', null, c.name + ' (' + id + ')'), Hall.el('td', 'waiting', Hall.t('waiting', { n: c.waiting })),
      Hall.el('td', null, c.lastCalled || ''));
    t.appendChild(tr);
  }
}

async function signIn() {
  const sid = $('staffId').value.trim(), pin = $('pin').value;
  $('pin').value = '';
  if (!sid || !pin) { message({ ok: false, error: { code: 'INVALID_ARGUMENT' } }); return; }
  $('msg').textContent = Hall.t('caller.signing');
  const ch = await Hall.command('sign-in-challenge', { window: windowId, staffId: sid });
  if (!message(ch, Hall.t('caller.signing'))) return;
  const c = ch.result;
  const key = await pbkdf2Async(sha256, utf8(pin), unb64(c.salt), { c: c.iterations, dkLen: 32 });
  const proof = b64(hmac(sha256, key, utf8('openhall-sign-in$' + c.nonce + '$' + windowId + '$' + sid)));
  staffId = sid;
  const r = await Hall.command('open-window', { window: windowId, staffId: sid, nonce: c.nonce, proof: proof });
  if (!message(r)) { staffId = null; return; }
  renderWindow(r.result);
}

async function op(kind) {
  const a = { window: windowId, actorStaffId: staffId };
  let name = kind;
  if (kind === 'done') { name = 'finish'; a.outcome = 'DONE'; }
  else if (kind === 'incomplete') {
    name = 'finish'; a.outcome = 'MATERIALS_INCOMPLETE';
    a.missingMaterials = Array.from(document.querySelectorAll('#materials input:checked'), c => c.value);
    if (!a.missingMaterials.length) { message({ ok: false, error: { code: 'INVALID_ARGUMENT' } }); return; }
  } else if (kind === 'refuse') {
    name = 'finish'; a.outcome = 'REFUSED'; a.reason = $('reason').value.trim(); a.legalBasis = $('legal').value.trim();
    if (!a.reason || !a.legalBasis) { message({ ok: false, error: { code: 'INVALID_ARGUMENT' } }); return; }
  } else if (kind === 'transfer') {
    a.toCategory = $('toCategory').value; if ($('toWindow').value) a.toWindow = $('toWindow').value;
  } else if (kind === 'brief' || kind === 'suspend') { name = 'pause'; a.kind = kind === 'brief' ? 'BRIEF' : 'SUSPENDED'; }
  else if (kind === 'close') { name = 'close-window'; }
  const r = await Hall.command(name, a);
  if (message(r) && r.result && r.result.state && r.result.id) renderWindow(r.result);
}

$('signinBtn').onclick = signIn;
$('pin').addEventListener('keydown', e => { if (e.key === 'Enter') signIn(); });
document.querySelectorAll('button[data-op]').forEach(b => { b.onclick = () => op(b.dataset.op); });

function start(credentials) {
  Hall.connect(['status', 'categories/+', 'windows/' + windowId], {
    onState: setOnline,
    onMessage: function (topic, m) {
      if (!m) return;
      if (topic.startsWith('categories/')) { categories[m.id] = m; renderQueue(lastWindow); }
      else if (topic === 'windows/' + windowId) {
        lastWindow = m;
        // After a reload the signed-in staff is known from the window (the session is the hall's).
        if (!staffId && m.state !== 'CLOSED' && m.staff && sessionStorage.getItem('openhall.caller.' + windowId) === m.staff.id) staffId = m.staff.id;
        renderWindow(m);
      }
    }
  }, credentials);
}
window.addEventListener('beforeunload', () => { if (staffId) sessionStorage.setItem('openhall.caller.' + windowId, staffId); });
const creds = Hall.credentials();
if (creds) start(creds); else Hall.setupForm(document.body, () => start(Hall.credentials()));
