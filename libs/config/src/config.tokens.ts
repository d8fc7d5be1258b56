/** DI token of the wall clock `() => epoch ms` shared by everything that deals with time. */
export const CLOCK = Symbol('CLOCK');
/** The wall clock type behind {@link CLOCK}. */
export type Clock = () => number;
