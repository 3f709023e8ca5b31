// Owns the public surface of @ocre-ts/bridge-mqtt/testing: a real Mosquitto for tests and benchmarks.
export { freePort, mosquittoPath, startMosquitto } from './mosquitto.ts';
export type { Mosquitto, MosquittoOptions } from './mosquitto.ts';
