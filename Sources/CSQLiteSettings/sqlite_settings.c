#include <sqlite3.h>
#include "sqlite_settings.h"

int tracejoin_sqlite_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
