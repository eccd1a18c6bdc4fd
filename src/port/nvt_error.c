/* Names of nvtoken's error codes (include/nvtoken/error.h). Portable code
 * shared by every platform's port. */
#include "nvtoken/error.h"

const char *nvt_err_name(int err)
{
    switch (err) {
    case NVT_OK: return "NVT_OK";
    case NVT_E_INVALID: return "NVT_E_INVALID";
    case NVT_E_IO: return "NVT_E_IO";
    case NVT_E_POWER_LOST: return "NVT_E_POWER_LOST";
    case NVT_E_PROGRAMMED: return "NVT_E_PROGRAMMED";
    case NVT_E_CORRUPT: return "NVT_E_CORRUPT";
    case NVT_E_NOT_FOUND: return "NVT_E_NOT_FOUND";
    case NVT_E_NO_SPACE: return "NVT_E_NO_SPACE";
    case NVT_E_TOO_LARGE: return "NVT_E_TOO_LARGE";
    case NVT_E_INDEX_FULL: return "NVT_E_INDEX_FULL";
    case NVT_E_NOT_FORMATTED: return "NVT_E_NOT_FORMATTED";
    case NVT_E_VERSION: return "NVT_E_VERSION";
    case NVT_E_BUFFER_TOO_SMALL: return "NVT_E_BUFFER_TOO_SMALL";
    case NVT_E_UNSUPPORTED: return "NVT_E_UNSUPPORTED";
    case NVT_E_CRYPTO: return "NVT_E_CRYPTO";
    case NVT_E_ENTROPY: return "NVT_E_ENTROPY";
    case NVT_E_BUSY: return "NVT_E_BUSY";
    case NVT_E_VERIFY: return "NVT_E_VERIFY";
    default: return err > 0 ? "NVT_OK(count)" : "NVT_E_UNKNOWN";
    }
}
