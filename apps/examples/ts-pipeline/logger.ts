// Taps every topic under readings/ (wildcard matching) and prints each message; exported as a plain definition object.
import type { TypeScriptContainerDefinition } from '@ocre-ts/actors';
import { readText } from '@ocre-ts/core';

const logger: TypeScriptContainerDefinition = {
  name: 'logger',
  init(api) {
    api.ocre_msg_system_init();
    api.ocre_subscribe_message('readings/#', 'print');
  },
  handlers: {
    print(message, ctx) {
      ctx.log(`${message.topic} #${message.mid}: ${readText(message)}`);
    },
  },
};

/** The logger, as a definition object: the CLI wraps it with defineContainer. */
export default logger;
