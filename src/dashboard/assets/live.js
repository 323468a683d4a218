// Live updates: the page listens to /dashboard/events and reloads itself, a moment after the last change
// to an issue it shows (the queue: any issue of the viewer's teams; an issue page: that issue).
(() => {
  if (typeof EventSource === 'undefined') return;
  const watched = document.body.dataset.liveIssue;
  const status = document.getElementById('live-status');
  const source = new EventSource('/dashboard/events');
  let timer;
  source.addEventListener('ready', () => {
    if (status) status.textContent = '● live';
  });
  source.addEventListener('changed', (event) => {
    const { issue } = JSON.parse(event.data || '{}');
    if (watched && issue !== watched) return;
    if (status) status.textContent = '● updating…';
    clearTimeout(timer);
    timer = setTimeout(() => window.location.reload(), 1500);
  });
  // Leaving the page closes the stream at once (browsers allow six connections per host).
  window.addEventListener('pagehide', () => source.close());
  source.addEventListener('error', () => {
    if (status) status.textContent = '○ reconnecting';
  });
})();
