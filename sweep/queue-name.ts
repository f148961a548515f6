/** The queue every `tapedeck worker` listens on unless told otherwise. */
export const DEFAULT_QUEUE_NAME = 'tapedeck-sweep';
