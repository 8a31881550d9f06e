// `voicewipe start` for tests that must kill a real process: the same runDaemon, with test timings
// (catch-up delay, settle and retry pauses) passed as JSON in argv[3].
import { loadConfig, formatProblem } from '../../src/config/load.ts';
import { runDaemon } from '../../src/main.ts';

const [configPath, optionsJson] = process.argv.slice(2);
const { config, problems } = loadConfig(configPath);
if (!config) {
  process.stderr.write(problems.map(formatProblem).join('\n'));
  process.exit(2);
}
process.exitCode = await runDaemon(config, JSON.parse(optionsJson ?? '{}'));
