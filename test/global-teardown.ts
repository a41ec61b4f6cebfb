import { stopServices } from './services';

export default async function globalTeardown(): Promise<void> {
  const raw = process.env.PULSE_TEST_SERVICES;
  if (raw) stopServices(JSON.parse(raw));
}
