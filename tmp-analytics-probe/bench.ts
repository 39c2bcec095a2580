const { run } = await import('../bench/analytics.bench.ts');
const t = performance.now();
console.log(JSON.stringify(await run({ quick: process.argv.includes('--quick') }), null, 1));
console.log('took', (performance.now() - t).toFixed(0), 'ms');
