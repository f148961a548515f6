// Imported first by the CLI, before picocolors reads the environment: picocolors turns colors
// on whenever FORCE_COLOR is set, even to 0, where the convention (supports-color, chalk,
// Node itself) is that FORCE_COLOR=0 means no colors.
if (process.env['FORCE_COLOR'] === '0' || process.env['FORCE_COLOR'] === 'false') {
  delete process.env['FORCE_COLOR'];
  process.env['NO_COLOR'] = '1';
}
