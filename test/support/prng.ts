// Property tests draw from the same seeded generator as the fleet simulator (reproducible from a seed).
export { prng, randomInt, type Random } from '../../gateway/device-kit/prng';
