/**
 * Globals that, called while Python unpickles, run code or commands (the calls pickle exploits
 * and scanners such as fickling flag). Reading them is still inert here; knowing them lets the
 * explorer say that loading this pickle in Python would execute something.
 */

// Every callable of these modules runs programs or code, or loads native code.
const WHOLE_MODULES = new Set(['subprocess', 'pty', 'ctypes', 'runpy', 'commands', 'code'])

// The os family as pickles name it on POSIX (posix), Windows (nt) and by module (os).
const OS_MODULES = new Set(['os', 'posix', 'nt'])
const OS_CALLS = /^(?:system|popen\d?|exec\w*|spawn\w*|posix_spawnp?|startfile|fork|forkpty)$/

const CALLS = new Set([
  'builtins.eval',
  'builtins.exec',
  'builtins.execfile',
  'builtins.compile',
  'builtins.__import__',
  'builtins.getattr',
  'builtins.setattr',
  'builtins.open',
  'builtins.breakpoint',
  'builtins.apply',
  'importlib.import_module',
  'importlib.__import__',
  'marshal.loads',
  'pickle.loads',
  'pickle.load',
  '_pickle.loads',
  '_pickle.load',
  'dill.loads',
  'types.FunctionType',
  'types.CodeType',
  'timeit.timeit',
  'timeit.repeat',
  'pydoc.pipepager',
  'webbrowser.open',
  'operator.methodcaller',
  'operator.attrgetter',
  'platform.popen',
  'asyncio.create_subprocess_shell',
  'asyncio.create_subprocess_exec',
  'shutil.rmtree',
])

/** Whether calling `module.name` while unpickling would run code (or a command) in Python. */
export function executesCode(module: string, name: string): boolean {
  const top = module.split('.')[0] ?? module
  if (WHOLE_MODULES.has(top)) return true
  if (OS_MODULES.has(module) && OS_CALLS.test(name)) return true
  return CALLS.has(`${module}.${name}`)
}
