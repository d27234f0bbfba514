#ifndef TRACEJOIN_SQLITE_SETTINGS_H
#define TRACEJOIN_SQLITE_SETTINGS_H

/// Turns off SQLite's memory statistics for this process (`SQLITE_CONFIG_MEMSTATUS`, 0).
///
/// Debian's SQLite is built without lookaside memory and with statistics on, so every allocation of every
/// connection takes one process-wide mutex to count it. `sqlite3_config` is variadic, which Swift cannot call;
/// hence this C function. It must run before SQLite initialises (before the first connection opens): returns
/// SQLITE_OK when applied, SQLITE_MISUSE when SQLite was already initialised (then nothing changes).
int tracejoin_sqlite_disable_memstatus(void);

#endif
