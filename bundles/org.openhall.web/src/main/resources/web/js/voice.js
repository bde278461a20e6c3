// Announcements by the browser's speech synthesis (R14): a Chinese voice where the system has one,
// one at a time in order (never overlapping), each seq once, also across reloads and reconnects.
(function () {
  'use strict';
  const V = {};
  window.HallVoice = V;
  const queue = [];
  let speaking = false;
  let noVoiceShown = false;
  const storeKey = function () { return 'openhall.voice.lastSeq.' + (Hall.config ? Hall.config.hallId : ''); };

  function chineseVoice() {
    const s = window.speechSynthesis;
    if (!s) return null;
    const voices = s.getVoices() || [];
    return voices.find(v => /^zh(-|_)?CN/i.test(v.lang)) || voices.find(v => /^(zh|cmn)/i.test(v.lang)) || null;
  }

  V.checkVoice = function (show) {
    const s = window.speechSynthesis;
    const ok = !!(s && chineseVoice());
    if (!ok && !noVoiceShown && show) { noVoiceShown = true; show(Hall.t('voice.none')); }
    return ok;
  };

  function next() {
    if (speaking || queue.length === 0) return;
    const text = queue.shift();
    const s = window.speechSynthesis;
    if (!s) return;
    speaking = true;
    const u = new SpeechSynthesisUtterance(text);
    u.lang = 'zh-CN'; u.rate = 0.9;
    const voice = chineseVoice();
    if (voice) u.voice = voice;
    let done = false;
    const finish = function () { if (done) return; done = true; speaking = false; setTimeout(next, 400); };
    u.onend = finish; u.onerror = finish;
    // A system without a voice may never end an utterance: move on after a generous time.
    setTimeout(finish, 3000 + text.length * 400);
    s.speak(u);
  }

  /** Announces a call event once per seq; repeat=true for a recall (a new seq, the same text). */
  V.announce = function (seq, text) {
    if (!text) return false;
    const last = Number(localStorage.getItem(storeKey()) || 0);
    if (typeof seq === 'number' && seq <= last) return false;
    if (typeof seq === 'number') localStorage.setItem(storeKey(), String(seq));
    queue.push(text);
    next();
    return true;
  };
  if (window.speechSynthesis && speechSynthesis.addEventListener) {
    speechSynthesis.addEventListener('voiceschanged', function () { /* voices load late in some browsers */ });
  }
})();
