// Draws the SLA attainment chart from the page's JSON block with uPlot (served beside this file).
// No inline script: the dashboard's Content-Security-Policy allows only its own files.
(() => {
  const data = document.getElementById('attainment-data');
  const figure = document.getElementById('attainment-chart');
  if (!data || !figure || typeof uPlot === 'undefined') return;
  const parsed = JSON.parse(data.textContent || '{}');
  const colours = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2'];
  const options = {
    width: Math.max(320, Math.min(960, figure.clientWidth || 960)),
    height: 320,
    scales: { x: { time: true }, y: { range: [0, 100] } },
    axes: [{}, { values: (_u, ticks) => ticks.map((tick) => `${tick}%`) }],
    series: [
      {},
      ...parsed.series.map((series, index) => ({
        label: series.name,
        stroke: colours[index % colours.length],
        width: 2,
        points: { show: true },
        spanGaps: true,
        value: (_u, value) => (value == null ? '—' : `${value}%`),
      })),
    ],
  };
  const chart = new uPlot(options, [parsed.days, ...parsed.series.map((series) => series.pct)], figure);
  figure.dataset.drawn = String(parsed.series.length);
  window.addEventListener('resize', () => {
    chart.setSize({ width: Math.max(320, Math.min(960, figure.clientWidth || 960)), height: 320 });
  });
})();
