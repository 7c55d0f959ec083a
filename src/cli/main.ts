import { Command } from 'commander';
import { registerCommands } from './commands/index.ts';
import { CliError } from './errors.ts';

const program = new Command();
program
  .name('detainer-ledger')
  .description('Decide, record and report immigration detainer requests under layered, dated law')
  .showHelpAfterError()
  // a command's options are its own: `report --week D` and `report publish --week D` both work
  .enablePositionalOptions();
registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CliError) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else {
    throw err;
  }
}
