/* The launcher: check the config script whole, start the log server, then every program with its capabilities. */
#include "roottask.h"
#include "stdio.h"
#include "string.h"
#include "pecan/rt/env.h"
#include "pecan/rt/log.h"

enum {
	LOG_KMEM = 512 * 1024, LOG_MEM = 2u << 20, LOG_PRIO = 90,
	LOG_SEL_ICU = PECAN_RT_CAP_FIRST_NAMED, /* the log server's one named capability */
	CONTROL_TIMEOUT_US = 2000000,
};

static struct cfg script;                 /* static: it is large */
static struct program *prog_of[CFG_MAX_PROGRAMS];
static uint64_t sel_control;              /* the log server's control gate */
static struct program *log_server;

static long log_control(unsigned op, const uint64_t *args, unsigned n)
{
	struct pecan_utcb *u = pecan_utcb();
	for (unsigned i = 0; i < n; i++)
		u->mr[i] = args[i];
	pecan_msgtag_t rtag;
	/* bounded: a broken log server must not stop the roottask */
	long err = l4_ipc_call(sel_control, pecan_msgtag(op, n, 0, 0), CONTROL_TIMEOUT_US, &rtag);
	return err ? err : (long)pecan_msgtag_label(rtag);
}

static long log_register(struct program *p)
{
	uint64_t args[2 + PECAN_LOG_TAG_MAX / 8 + 1] = {0};
	size_t n = strlen(p->tag);
	if (n > PECAN_LOG_TAG_MAX)
		n = PECAN_LOG_TAG_MAX;
	args[0] = p->log_label;
	args[1] = n;
	memcpy(&args[2], p->tag, n);
	return log_control(PECAN_LOG_REGISTER, args, 2 + (unsigned)((n + 7) / 8));
}

/* A log gate for p, bound to the log server, at selector 4 in p. */
static long give_log_gate(struct program *p)
{
	p->log_label = p->id;
	if (!(p->sel_log_gate = sel_alloc()))
		return PECAN_ENOMEM;
	long e = l4_factory_create_gate(PECAN_CAP_FACTORY, p->sel_log_gate, log_server->sel_thread, p->log_label);
	if (!e)
		e = l4_task_map(p->sel_task, PECAN_CAP_TASK, pecan_fpage_cap(p->sel_log_gate, 0, PECAN_CAP_R),
				PECAN_RT_CAP_LOG, PECAN_ITEM_MAP);
	if (!e)
		e = log_register(p);
	return e;
}

static void env_init(struct pecan_env *env, const char *name, const char *tag, const struct program *p)
{
	memset(env, 0, sizeof(*env));
	env->magic = PECAN_ENV_MAGIC;
	strlcpy(env->name, name, sizeof(env->name));
	strlcpy(env->tag, tag, sizeof(env->tag));
	env->heap_size = p->regions[p->nregions - 1].end - PECAN_HEAP_BASE;
	env->boot_time = l4_kip()->boot_time;
}

static const uint8_t *module_image(const struct pecan_kip_module *m) { return window(m->start); }

static int start_log_server(void)
{
	const struct pecan_kip_module *m = rom_find("log", 3);
	if (!m) {
		rt_log("rom/log: no such boot module (a scenario with a config script needs the log server)");
		return 1;
	}
	log_server = program_create("log", "log", module_image(m), m->size, LOG_KMEM, LOG_MEM, true);
	if (!log_server)
		return 1;
	struct pecan_env env;
	env_init(&env, "log", "log", log_server);
	env.argc = 1;
	env.args_len = 4;
	memcpy(env.args, "log", 4);
	env.ncaps = 1;
	strlcpy(env.caps[0].name, "icu", sizeof(env.caps[0].name));
	env.caps[0].sel = LOG_SEL_ICU;
	env.caps[0].rights = PECAN_CAP_RWD;
	long e;
	if ((e = l4_task_map(log_server->sel_task, PECAN_CAP_TASK, pecan_fpage_cap(PECAN_CAP_KDEBUG, 0, PECAN_CAP_R),
			     PECAN_RT_CAP_LOG, PECAN_ITEM_MAP)) ||
	    (e = l4_task_map(log_server->sel_task, PECAN_CAP_TASK, pecan_fpage_cap(PECAN_CAP_ICU, 0, PECAN_CAP_RWD),
			     LOG_SEL_ICU, PECAN_ITEM_MAP)) ||
	    !(sel_control = sel_alloc()) ||
	    (e = l4_factory_create_gate(PECAN_CAP_FACTORY, sel_control, log_server->sel_thread, 0)) ||
	    (e = program_prefault(log_server))) {
		rt_log("cannot start the log server: %s", l4_strerror(e));
		return 1;
	}
	return program_start(log_server, &env, LOG_PRIO) ? 1 : 0;
}

/* Checks what the parser cannot: the modules exist and are programs. */
static int check_modules(const char *file)
{
	for (unsigned i = 0; i < script.nprograms; i++) {
		const struct cfg_program *c = &script.programs[i];
		const struct pecan_kip_module *m = rom_find(c->file + 4, strlen(c->file + 4));
		if (!m) {
			rt_log("%s:%u: %s: no such boot module", file, c->line, c->file);
			return 1;
		}
		struct elf_image img;
		char err[160];
		if (elf_check_exec(module_image(m), m->size, PECAN_HEAP_BASE, &img, err, sizeof(err))) {
			rt_log("%s:%u: %s: invalid ELF: %s", file, c->line, c->file, err);
			return 1;
		}
	}
	return 0;
}

int launcher_run(const char *file)
{
	if (strncmp(file, "rom/", 4) != 0) {
		rt_log("%s: the config script must be a boot module, rom/NAME", file);
		return 1;
	}
	const struct pecan_kip_module *m = rom_find(file + 4, strlen(file + 4));
	if (!m) {
		rt_log("%s: no such boot module", file);
		return 1;
	}
	char err[200];
	if (cfg_parse((const char *)module_image(m), m->size, file, &script, err, sizeof(err))) {
		rt_log("%s", err);
		rt_log("config script %s rejected; nothing was started", file);
		return 1;
	}
	if (check_modules(file)) {
		rt_log("config script %s rejected; nothing was started", file);
		return 1;
	}
	if (start_log_server())
		return 1;

	/* every program's objects first, so that gates can bind to servers' threads */
	for (unsigned i = 0; i < script.nprograms; i++) {
		const struct cfg_program *c = &script.programs[i];
		const struct pecan_kip_module *pm = rom_find(c->file + 4, strlen(c->file + 4));
		bool server = c->nserves > 0;
		prog_of[i] = program_create(c->name, c->tag, module_image(pm), pm->size, c->kmem, c->mem, server);
		if (!prog_of[i])
			return 1;
	}
	static uint64_t gate_sel[CFG_MAX_GATES];
	for (unsigned g = 0; g < script.ngates; g++) {
		const struct cfg_gate *cg = &script.gates[g];
		struct program *srv = prog_of[cg->server];
		long e = PECAN_ENOMEM;
		if (!(gate_sel[g] = sel_alloc()) ||
		    (e = l4_factory_create_gate(PECAN_CAP_FACTORY, gate_sel[g], srv->sel_thread, cg->label))) {
			rt_log("%s:%u: gate %s: %s", file, cg->line, cg->name, l4_strerror(e));
			return 1;
		}
	}
	for (unsigned i = 0; i < script.nprograms; i++) {
		const struct cfg_program *c = &script.programs[i];
		struct program *p = prog_of[i];
		struct pecan_env env;
		env_init(&env, c->name, c->tag, p);
		env.argc = c->argc;
		env.args_len = (uint32_t)c->args_len;
		memcpy(env.args, c->args, c->args_len < sizeof(env.args) ? c->args_len : sizeof(env.args));
		for (unsigned k = 0; k < c->ncaps && k < PECAN_ENV_MAX_CAPS; k++) {
			const struct cfg_cap *cc = &c->caps[k];
			uint64_t from = cc->gate < 0 ? PECAN_CAP_KDEBUG : gate_sel[cc->gate];
			uint64_t sel = PECAN_RT_CAP_FIRST_NAMED + k;
			long e = l4_task_map(p->sel_task, PECAN_CAP_TASK, pecan_fpage_cap(from, 0, cc->rights), sel,
					     PECAN_ITEM_MAP);
			if (e) {
				rt_log("%s:%u: cap=%s: %s", file, cc->line, cc->name, l4_strerror(e));
				return 1;
			}
			strlcpy(env.caps[k].name, cc->name, sizeof(env.caps[k].name));
			env.caps[k].sel = sel;
			env.caps[k].rights = cc->rights;
		}
		env.ncaps = c->ncaps;
		long e = give_log_gate(p);
		if (!e && c->input) {
			uint64_t label = p->log_label;
			e = log_control(PECAN_LOG_SET_INPUT, &label, 1);
		}
		if (e) {
			rt_log("%s:%u: %s: cannot connect it to the log server: %s", file, c->line, c->name, l4_strerror(e));
			return 1;
		}
		if (program_start(p, &env, c->prio))
			return 1;
	}
	return 0;
}

void launcher_program_ended(struct program *p) { (void)p; }
