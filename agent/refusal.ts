/** A run that stops on purpose, with a message that says why, what stayed as it was, and the fix. */
export class Refusal extends Error {}
