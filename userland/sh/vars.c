/*
 * vars.c - shell variables (with their export flag) and functions.
 */
#include "sh.h"

#include <stdlib.h>
#include <string.h>

struct var {
    char *name, *value;
    int exported;
};

static struct var *vars;
static int nvars, capvars;

struct func {
    char *name;
    struct node *def; /* the N_FUNCDEF node: ->a is the body */
};

static struct func *funcs;
static int nfuncs;

int var_is_name(const char *s, size_t len)
{
    if (len == 0 || !(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') ||
                      (s[0] >= 'A' && s[0] <= 'Z')))
        return 0;
    for (size_t i = 1; i < len; i++)
        if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            return 0;
    return 1;
}

static struct var *find(const char *name)
{
    for (int i = 0; i < nvars; i++)
        if (strcmp(vars[i].name, name) == 0)
            return &vars[i];
    return NULL;
}

const char *var_get(const char *name)
{
    struct var *v = find(name);
    return v ? v->value : NULL;
}

void var_set(const char *name, const char *value, int export)
{
    struct var *v = find(name);
    char *copy = xstrdup(value);
    if (v == NULL) {
        if (nvars == capvars) {
            int cap = capvars ? capvars * 2 : 32;
            vars = xrealloc(vars, cap * sizeof *vars);
            capvars = cap;
        }
        v = &vars[nvars++];
        v->name = xstrdup(name);
        v->value = NULL;
        v->exported = 0;
    }
    free(v->value);
    v->value = copy;
    if (export)
        v->exported = 1;
}

void var_unset(const char *name)
{
    struct var *v = find(name);
    if (v == NULL)
        return;
    free(v->name);
    free(v->value);
    *v = vars[--nvars];
}

void var_export(const char *name)
{
    struct var *v = find(name);
    if (v != NULL)
        v->exported = 1;
}

void var_import(char **envp)
{
    for (; envp && *envp; envp++) {
        const char *eq = strchr(*envp, '=');
        if (eq == NULL || !var_is_name(*envp, (size_t)(eq - *envp)))
            continue;
        char *name = xstrndup(*envp, (size_t)(eq - *envp));
        var_set(name, eq + 1, 1);
        free(name);
    }
}

char **var_environ(struct strv *extra)
{
    struct strv env = {0};
    for (int i = 0; extra && i < extra->n; i++)
        strv_add(&env, xstrdup(extra->v[i]));
    for (int i = 0; i < nvars; i++) {
        if (!vars[i].exported)
            continue;
        size_t len = strlen(vars[i].name);
        int overridden = 0;
        for (int j = 0; extra && j < extra->n; j++)
            if (strncmp(extra->v[j], vars[i].name, len) == 0 &&
                extra->v[j][len] == '=')
                overridden = 1;
        if (overridden)
            continue;
        struct buf b = {0};
        buf_adds(&b, vars[i].name);
        buf_add(&b, '=');
        buf_adds(&b, vars[i].value);
        strv_add(&env, buf_take(&b));
    }
    if (env.v == NULL) {
        env.v = xmalloc(sizeof *env.v);
        env.v[0] = NULL;
    }
    return env.v;
}

static void add_quoted(struct buf *out, const char *s)
{
    buf_add(out, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            buf_adds(out, "'\\''");
        else
            buf_add(out, *s);
    }
    buf_add(out, '\'');
}

void var_preamble(struct buf *out)
{
    for (int i = 0; i < nvars; i++) {
        if (vars[i].exported)
            continue;
        buf_adds(out, vars[i].name);
        buf_add(out, '=');
        add_quoted(out, vars[i].value);
        buf_add(out, '\n');
    }
}

struct node *func_get(const char *name)
{
    for (int i = 0; i < nfuncs; i++)
        if (strcmp(funcs[i].name, name) == 0)
            return funcs[i].def;
    return NULL;
}

void func_set(const char *name, struct node *def)
{
    for (int i = 0; i < nfuncs; i++)
        if (strcmp(funcs[i].name, name) == 0) {
            funcs[i].def = def;
            return;
        }
    funcs = xrealloc(funcs, (nfuncs + 1) * sizeof *funcs);
    funcs[nfuncs].name = xstrdup(name);
    funcs[nfuncs].def = def;
    nfuncs++;
}

void func_preamble(struct buf *out)
{
    for (int i = 0; i < nfuncs; i++) {
        buf_adds(out, funcs[i].def->text);
        buf_add(out, '\n');
    }
}
