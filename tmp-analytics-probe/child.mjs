const { installKafkaInstrumentation } = await import('/work/main/infra/telemetry.ts');
console.log(JSON.stringify({ ok: installKafkaInstrumentation() }));
const { createKafka } = await import('/work/main/pipeline/kafka/client.ts');
console.log(typeof createKafka);
