/* nvtoken - make, fill, inspect and export device credential images on a
 * PC (tools/README.md).
 *
 *   nvtoken create  IMAGE     a formatted, initialised token image
 *   nvtoken import  IMAGE     a private key, public key or certificate
 *   nvtoken list    IMAGE     what the token holds (table or JSON)
 *   nvtoken export  IMAGE     a certificate or public key
 *   nvtoken genkey  IMAGE     a key pair made inside, and its PKCS#10 request
 *   nvtoken write   IMAGE     the image as bin, Intel HEX or SREC at an address
 *   nvtoken batch   MANIFEST  all of that for every device of a manifest
 *   nvtoken stat    IMAGE     geometry, objects, bytes, erase counts, fsck
 *   nvtoken fsck    IMAGE     every record checked; sealed records opened
 *                             with the device key, if there is one
 *   nvtoken seal    IMAGE     seal what an image written before sealing
 *                             keeps in the clear
 *
 * Every command takes the image's device key as the module finds it:
 * --device-key FILE and --uid HEX anywhere on the line (the module's
 * `device_key` and `device_uid` settings), else <image>.key.
 *
 * This file holds the command table and every command's --help; each
 * command lives in its own tool_<command>.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvtoken/version.h"
#include "tool.h"

const char *tool_prog = "nvtoken";

#define EXIT_STATUSES                                                                                                  \
    "Exit status: 0 done; 1 unexpected failure; 2 bad command line; 3 a file cannot be\n"                            \
    "read or written; 4 not an image of this geometry and format, or damaged; 5 PIN\n"                               \
    "refused; 6 no such object; 7 already there; 8 image full; 9 malformed or refused\n"                              \
    "input; 10 key type the token lacks; 11 (batch) some devices failed.\n"                                           \
    "Errors are one line on standard error. See tools/README.md.\n"

#define DEVICE_KEY_OPTIONS                                                                                             \
    "Every command: --device-key FILE, the image's device key (the module's device_key\n"                              \
    "setting; default IMAGE.key, made 0600 when a token is written and holds nothing\n"                               \
    "sealed yet); --uid HEX, the device's unique id when its key is a factory secret.\n"

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage; /* the synopsis lines, after "usage: nvtoken " */
    const char *help;  /* what follows them in --help */
} commands[] = {
    { "create", tool_cmd_create,
      "create IMAGE --geometry SIZExCOUNTxUNIT [--label L] [--so-pin-file F]\n"
      "              [--pin-file F] [--pin-iterations N]\n",
      "Make a new token image: an erased region of the geometry (the device's flash\n"
      "sectors: SIZE bytes each, COUNT of them, programmed UNIT bytes at a time),\n"
      "formatted, the token initialised with LABEL and the SO PIN, and the user PIN\n"
      "set. IMAGE must not exist; it appears whole or not at all (mode 0600).\n"
      "\n"
      "  --geometry G        e.g. 2048x16x8: 16 sectors of 2 KiB, 8-byte program unit\n"
      "  --label L           token label, up to 32 bytes (default \"nvtoken\")\n"
      "  --so-pin-file F     SO PIN: the first line of F (\"-\": standard input);\n"
      "                      without it the image is formatted but not initialised\n"
      "  --pin-file F        user PIN, likewise (needs --so-pin-file)\n"
      "  --pin-iterations N  PBKDF2 iterations of the PIN verifiers (default 1000, the\n"
      "                      device build's: a login on a 64 MHz Cortex-M4 then costs\n"
      "                      about 0.1 s; the host module uses 10000)\n" },
    { "import", tool_cmd_import,
      "import IMAGE --pin-file F (--key FILE [--passphrase-file F] | --cert FILE |\n"
      "              --pubkey FILE) [--label L] [--id HEX] [--attr NAME=VALUE]...\n"
      "              [--no-pubkey] [--geometry G]\n",
      "Put a key or certificate into the token, through the token's own template\n"
      "rules. FILE is PEM or DER (\"-\": standard input).\n"
      "\n"
      "  --key FILE          private key: PKCS#8, encrypted PKCS#8, SEC1 (EC) or PKCS#1\n"
      "                      (RSA). Stored private, sensitive, not extractable, for\n"
      "                      signing only (--attr widens it), with a public key object\n"
      "                      of the same id and label (--no-pubkey: without). Needs\n"
      "                      --label and --id.\n"
      "  --passphrase-file F the passphrase of an encrypted key\n"
      "  --cert FILE         X.509 certificate. Its id is the id of the key in the\n"
      "                      token that it certifies (or --id); its label that key's\n"
      "                      (or --label); subject, issuer and serial number come\n"
      "                      from the certificate.\n"
      "  --pubkey FILE       public key (SubjectPublicKeyInfo or PKCS#1). Needs --label\n"
      "                      and --id.\n"
      "  --label L, --id HEX CKA_LABEL and CKA_ID (hex, e.g. 01)\n"
      "  --attr NAME=VALUE   a boolean attribute of the new object: private,\n"
      "                      sensitive, extractable, modifiable, copyable, destroyable,\n"
      "                      sign, verify, encrypt, decrypt, wrap, unwrap, derive,\n"
      "                      sign-recover, verify-recover, trusted, always-authenticate\n"
      "                      (VALUE true or false); or category=0..3 for a certificate\n"
      "  --pin-file F        user PIN (\"-\": standard input; the passphrase, if also\n"
      "                      \"-\", is the next line)\n"
      "  --geometry G        refuse an image of another geometry\n"
      "A key type the token's profile lacks (Ed25519, secp256k1, RSA under 2048 bits...)\n"
      "is refused with status 10 before the image is touched.\n" },
    { "list", tool_cmd_list,
      "list IMAGE [--pin-file F] [--json] [--geometry G]\n",
      "Show the token and its objects: class, id, label, key type and size, the flags\n"
      "that matter (private, sensitive, extractable, local), the SHA-256 of each\n"
      "public key, and for certificates subject, issuer and validity. Objects are\n"
      "named by class, id and label, never by handle. No secret value is read.\n"
      "\n"
      "  --pin-file F        log in as the user first: private objects are shown too\n"
      "                      (without it the image is only read: not a byte changes)\n"
      "  --json              the same as one JSON document, with each object's pkcs11:\n"
      "                      URI, its uses and a certificate's serial and validity\n"
      "  --geometry G        refuse an image of another geometry\n" },
    { "export", tool_cmd_export,
      "export IMAGE (--label L | --id HEX) (--cert | --pubkey) [--der | --pem]\n"
      "              [-o FILE] [--pin-file F] [--geometry G]\n",
      "Write a certificate or public key of the token, PEM (default) or DER, to FILE\n"
      "(default standard output). --pubkey takes the public key object, or the\n"
      "certificate's key if there is none. Exported as stored: a certificate imported\n"
      "from DER comes back byte for byte. --pin-file logs in (private objects).\n" },
    { "genkey", tool_cmd_genkey,
      "genkey IMAGE --pin-file F --label L --id HEX [--type TYPE]\n"
      "              [--csr SUBJECT [-o FILE] [--der]] [--attr NAME=VALUE]...\n"
      "              [--geometry G]\n",
      "Generate a key pair inside the token (the private key sensitive and never\n"
      "extractable) and, with --csr, write a PKCS#10 request for it, signed by the\n"
      "token, to FILE (default standard output), PEM unless --der.\n"
      "\n"
      "  --type TYPE         ec:p256 (default), ec:p384, ec:p521, rsa:2048, rsa:3072\n"
      "  --csr SUBJECT       \"CN=device-0001,O=Acme\" (a backslash escapes a comma) or\n"
      "                      \"/CN=device-0001/O=Acme\"; each attribute type once\n"
      "  --attr NAME=VALUE   as for import, on the private key\n" },
    { "write", tool_cmd_write,
      "write IMAGE [--format bin|ihex|srec] [--address A] -o FILE [--geometry G]\n",
      "Write the image as a flashing tool takes it: raw bytes, Intel HEX or Motorola\n"
      "S-records placed at address A (default 0, e.g. 0x0807C000), every byte of the\n"
      "region included (erased bytes too: a sector left out would keep the device's\n"
      "old contents). The image must pass fsck. The format defaults from FILE's\n"
      "extension (.bin, .hex/.ihex, .srec/.s19/.s28/.s37/.mot).\n" },
    { "batch", tool_cmd_batch,
      "batch MANIFEST --ca-key FILE --ca-cert FILE --so-pin-file F --pin-file F\n"
      "              [--ca-passphrase-file F] [--format ihex|srec|bin] [--address A]\n"
      "              [--type TYPE] [--days N] [--pin-iterations N]\n",
      "Provision every device of MANIFEST: one line per device, CSV with a header line\n"
      "(serial,label,subject,geometry,output) or JSON lines ({\"serial\": ...}). For each\n"
      "device: a new image of its geometry at OUTPUT (the token labelled LABEL, the\n"
      "PINs set), a key pair generated inside (id 01, \"device-key\"), its request\n"
      "(OUTPUT with .csr), the certificate the CA issues (.crt; imported as id 01,\n"
      "\"device-cert\") and the CA's certificate (id 02, \"ca-cert\"), the image for\n"
      "flashing (.hex, .srec or .bin beside OUTPUT) and a report (.json). A device\n"
      "whose report exists is skipped once verified (its flash file's SHA-256, fsck,\n"
      "and the token, key and certificate the report names); one without a report is\n"
      "made again. A progress bar on a terminal, one line per device otherwise.\n"
      "\n"
      "  --ca-key, --ca-cert the CA (a test CA in software) issuing the certificates\n"
      "  --days N            certificate validity (default 365)\n"
      "  --type TYPE         key type, as for genkey (default ec:p256)\n"
      "  --format, --address the flash file, as for write (default ihex at 0)\n"
      "  --pin-iterations N  as for create\n" },
    { "stat", tool_cmd_stat,
      "stat [--geometry SIZExCOUNTxUNIT] IMAGE\n",
      "The image's store: geometry, objects, live and free bytes, capacity, the\n"
      "largest object it can hold, every sector's erase count, a one-line fsck.\n"
      "Read-only; the geometry comes from the image unless --geometry insists.\n" },
    { "fsck", tool_cmd_fsck,
      "fsck [--geometry SIZExCOUNTxUNIT] [--repair] [--device-key FILE] [--uid HEX] IMAGE\n",
      "Check every record of the image's store and print the full report, then open\n"
      "every sealed record with the device key (one that does not open is tampered:\n"
      "status 4); without a key they are only counted. Read-only and never makes a\n"
      "key, unless --repair: first put right what can be (as seal does, then the\n"
      "store rewrites sectors read with a corrected bit or of format version 1 and\n"
      "erases damaged empty ones; live data is never changed), then report.\n" },
    { "seal", tool_cmd_seal,
      "seal [--device-key FILE] [--uid HEX] IMAGE\n",
      "Seal the sensitive records an image written before sealing keeps in the clear,\n"
      "and restore any missing or damaged copy of the token's own records: what the\n"
      "token's next write would do. Makes IMAGE.key (0600) if the image holds nothing\n"
      "sealed and no key is named. On a sealed image it changes nothing.\n" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

int tool_usage(const char *command, int help)
{
    for (size_t i = 0; i < N_COMMANDS; i++) {
        if (strcmp(commands[i].name, command) == 0) {
            FILE *out = help ? stdout : stderr;
            fprintf(out, "usage: %s %s", tool_prog, commands[i].usage);
            if (help) {
                fprintf(out, "\n%s\n" DEVICE_KEY_OPTIONS EXIT_STATUSES, commands[i].help);
            }
            return help ? TOOL_OK : TOOL_USAGE;
        }
    }
    return TOOL_USAGE;
}

static int overview(FILE *out)
{
    fprintf(out, "nvtoken %s - PKCS#11 token images for microcontroller flash\n\nusage:\n", NVT_VERSION_STRING);
    for (size_t i = 0; i < N_COMMANDS; i++) {
        fprintf(out, "  %s %s", tool_prog, commands[i].usage);
    }
    fprintf(out, "\n'%s COMMAND --help' tells more about each.\n" DEVICE_KEY_OPTIONS EXIT_STATUSES, tool_prog);
    return TOOL_OK;
}

/* --device-key FILE and --uid HEX, wherever they stand after the command:
 * set as the module's settings (which the port reads for every image this
 * run opens) and taken out of argv. Returns the new argc, or -1. */
static int take_device_key_options(int argc, char **argv)
{
    int kept = 2;
    for (int i = 2; i < argc; i++) {
        int key = strcmp(argv[i], "--device-key") == 0, uid = strcmp(argv[i], "--uid") == 0;
        if (!key && !uid) {
            argv[kept++] = argv[i];
            continue;
        }
        if (i + 1 == argc) {
            tool_complain(TOOL_USAGE, NULL, "%s needs a value", argv[i]);
            return -1;
        }
        if (setenv(key ? "NVTOKEN_DEVICE_KEY" : "NVTOKEN_DEVICE_UID", argv[++i], 1) != 0) {
            tool_complain(TOOL_FAILED, NULL, "out of memory");
            return -1;
        }
    }
    argv[kept] = NULL;
    return kept;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        return tool_complain(TOOL_USAGE, NULL, "no command (%s --help)", tool_prog);
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        return overview(stdout);
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("nvtoken %s\n", NVT_VERSION_STRING);
        return TOOL_OK;
    }
    int status = TOOL_USAGE;
    size_t i = 0;
    while (i < N_COMMANDS && strcmp(commands[i].name, argv[1]) != 0) {
        i++;
    }
    if (i == N_COMMANDS) {
        tool_complain(TOOL_USAGE, NULL, "unknown command '%s' (%s --help)", argv[1], tool_prog);
    } else if ((argc = take_device_key_options(argc, argv)) >= 0) {
        status = commands[i].run(argc - 1, argv + 1);
    }
    if (fflush(stdout) != 0 && status == TOOL_OK) {
        status = tool_complain(TOOL_FAILED, NULL, "cannot write the output: %s", strerror(errno));
    }
    return status;
}
