/* cfg.h - the launcher's config scripts: which programs to start, with which gates and capabilities (docs/config.md). */
#ifndef PECAN_LIB_CFG_H
#define PECAN_LIB_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CFG_NAME_MAX 32      /* names and tags: at most 31 characters and a NUL */
#define CFG_FILE_MAX 64      /* files: at most 63 characters and a NUL */
#define CFG_MAX_PROGRAMS 16
#define CFG_MAX_GATES 32
#define CFG_MAX_CAPS 24      /* cap= per program */
#define CFG_MAX_SERVES 8     /* serve= per program */
#define CFG_ARGS_MAX 512     /* argv bytes per program, argv[0] and every NUL included */
#define CFG_RIGHT_R 1u       /* same bits as PECAN_CAP_R/W/D in include/pecan/fpage.h */
#define CFG_RIGHT_W 2u
#define CFG_RIGHT_D 4u

#define CFG_DEFAULT_PRIO 50
#define CFG_DEFAULT_KMEM (256ull << 10)
#define CFG_DEFAULT_MEM (16ull << 20)

struct cfg_cap {
	char name[CFG_NAME_MAX];   /* as written: cap=NAME */
	unsigned rights;           /* CFG_RIGHT_*, never 0; default CFG_RIGHT_R */
	unsigned line;             /* first line of the start statement */
	int gate;                  /* index into cfg.gates, or -1 for the builtin "kdebug" */
};

struct cfg_serve {
	int gate;                  /* index into cfg.gates */
	uint64_t label;            /* the gate's label (default 0) */
};

struct cfg_program {
	char name[CFG_NAME_MAX];
	char file[CFG_FILE_MAX];   /* e.g. "rom/hello" */
	char tag[CFG_NAME_MAX];    /* log tag; default: the name */
	unsigned prio;             /* default 50; allowed 1..99 */
	uint64_t kmem;             /* kernel-memory quota in bytes; default 256 KiB */
	uint64_t mem;              /* user-memory quota in bytes; default 16 MiB */
	unsigned ncaps;
	struct cfg_cap caps[CFG_MAX_CAPS];       /* in the order written */
	unsigned nserves;
	struct cfg_serve serves[CFG_MAX_SERVES]; /* in the order written */
	bool input;                /* serial input goes to this program */
	unsigned argc;             /* argv[0] is the name, then the arguments */
	size_t args_len;           /* bytes used in args */
	char args[CFG_ARGS_MAX];   /* argc NUL-terminated strings back to back */
	unsigned line;             /* line of its start statement */
};

struct cfg_gate {
	char name[CFG_NAME_MAX];
	unsigned line;             /* line of its gate statement */
	int server;                /* program index; after a successful parse never -1 */
	uint64_t label;            /* from the server's serve=NAME:LABEL */
};

struct cfg {
	unsigned nprograms;
	struct cfg_program programs[CFG_MAX_PROGRAMS]; /* in the order written */
	unsigned ngates;
	struct cfg_gate gates[CFG_MAX_GATES];          /* in the order written */
};

/*
 * Parses a whole script and checks it. Returns 0, or -1 with one line
 * "FILE:LINE: message" in err (FILE is the `file` argument). On error *out
 * holds nothing the caller may use. text[0..len) need not be
 * NUL-terminated and is never read beyond len; err may be NULL or errlen 0.
 * Every name and string in *out is NUL-terminated.
 */
int cfg_parse(const char *text, size_t len, const char *file, struct cfg *out,
	      char *err, size_t errlen);

#endif
