import { startServices } from './services';

export default async function globalSetup(): Promise<void> {
  const services = await startServices();
  // Workers are forked after this runs, so they inherit these.
  process.env.PULSE_TEST_REDIS_URL = services.redisUrl;
  process.env.PULSE_TEST_POSTGRES_URL = services.postgresUrl;
  process.env.PULSE_TEST_SERVICES = JSON.stringify(services);
  process.env.PULSE_TEST_TMP = services.dir;
}
