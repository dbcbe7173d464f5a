package io.custos.collector.cli;

import io.custos.collector.config.CollectorConfig;
import io.custos.collector.http.LoginLinks;
import io.custos.collector.store.Role;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.Stores;
import io.custos.collector.store.TokenRecord;
import io.custos.collector.store.Tokens;
import io.custos.common.config.ConfigException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code token}: manages API tokens. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Manage API tokens.",
    subcommands = {
      TokenCommand.Create.class,
      TokenCommand.ListTokens.class,
      TokenCommand.Revoke.class,
      TokenCommand.LoginLink.class
    },
    footer = {"", CollectorMain.EXIT_CODES})
final class TokenCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing command: create, list, revoke or login-link");
  }

  /**
   * {@code token login-link}: prints a dashboard address that logs a browser in as the token in
   * {@code --token-file} for {@code --for} (default 15m), {@code <url>/#login=SECRET}; see {@link
   * LoginLinks}. Needs the SQLite store (its session key); fails naming the file for a token the
   * store does not know.
   */
  @Command(
      name = "login-link",
      mixinStandardHelpOptions = true,
      description = {
        "Print a short-lived address that logs a browser in to the dashboard as a token,",
        "so the token itself is never pasted. The address works until it expires or the token"
            + " is revoked; anyone who has it meanwhile can log in, so treat it like the token."
      },
      footer = {
        "",
        "Example: custos-collector token login-link --token-file /etc/custos/operator.token",
        CollectorMain.EXIT_CODES
      })
  static final class LoginLink implements Callable<Integer> {
    @Option(
        names = "--token-file",
        paramLabel = "FILE",
        required = true,
        description = "File holding the token (operator, admin or viewer) the link logs in as.")
    java.nio.file.Path tokenFile;

    @Option(
        names = "--for",
        paramLabel = "DURATION",
        defaultValue = "15m",
        description = "How long the link works (default ${DEFAULT-VALUE}, at most 24h).")
    String validFor;

    @Option(
        names = "--url",
        paramLabel = "URL",
        description =
            "The collector's address in the link; default dashboard_url, else"
                + " http://<listen host, or this machine's name>:<port>.")
    String url;

    @Mixin ConfigOption config;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      var err = spec.commandLine().getErr();
      try {
        java.time.Duration d;
        try {
          d = io.custos.common.units.Durations.parse(validFor);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--for: " + e.getMessage());
        }
        if (d.isZero() || d.isNegative() || d.compareTo(java.time.Duration.ofHours(24)) > 0) {
          throw new IllegalArgumentException(
              "--for: expected a duration from 1s to 24h, got \"" + validFor + "\"");
        }
        CollectorConfig cfg = config.load();
        java.nio.file.Path key = io.custos.collector.Collector.sessionKeyFile(cfg);
        if (key == null) {
          err.println(
              "custos-collector: login links need the SQLite store's session key; collectors on"
                  + " PostgreSQL make a new key at each start");
          return CollectorMain.FAILURE;
        }
        String token;
        try {
          token = java.nio.file.Files.readString(tokenFile).strip();
        } catch (java.io.IOException e) {
          err.println("custos-collector: --token-file " + tokenFile + ": cannot read: " + e);
          return CollectorMain.FAILURE;
        }
        String hash = Tokens.hash(token);
        try (Store store = Stores.open(cfg, Clock.systemUTC())) {
          var owner = store.findToken(hash);
          if (owner.isEmpty() || owner.get().role() == Role.NODE) {
            err.println(
                "custos-collector: --token-file "
                    + tokenFile
                    + ": "
                    + (owner.isEmpty()
                        ? "no such token in " + store.describe() + " (revoked?)"
                        : "a node token cannot log in to the dashboard"));
            return CollectorMain.FAILURE;
          }
        }
        long expires = System.currentTimeMillis() + d.toMillis();
        spec.commandLine()
            .getOut()
            .println(KioskUrl.base(cfg, url) + "/#login=" + LoginLinks.create(key, hash, expires));
        return CollectorMain.OK;
      } catch (ConfigException | StoreException e) {
        err.println("custos-collector: " + e.getMessage());
        return CollectorMain.FAILURE;
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
  }

  /**
   * {@code token create}: prints a new token on stdout, alone on one line so scripts can capture
   * it, and a note on stderr. Only the token's hash is stored; it cannot be shown again. Works
   * while the collector runs (SQLite serialises the writers).
   */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create a token and print it once on stdout.",
        "A node token posts reports for its node only; an operator token reads and"
            + " acknowledges; an admin token also downloads backups; a viewer token only reads"
            + " (the wall screen); a restore token only lists and downloads backup archives."
      },
      footer = {
        "",
        "Example: TOKEN=$(custos-collector token create --node web01)",
        "Wall screen: custos-collector token create --role viewer --kiosk"
            + " prints http://HOST:PORT/#token=…",
        CollectorMain.EXIT_CODES
      })
  static final class Create implements Callable<Integer> {
    static final class Kind {
      @Option(names = "--node", paramLabel = "NAME", description = "Token for this node.")
      String node;

      @Option(
          names = "--role",
          paramLabel = "ROLE",
          converter = ReaderRole.class,
          description = "operator, admin, viewer or restore.")
      Role role;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Kind kind;

    @Option(
        names = "--kiosk",
        description =
            "With --role viewer: print the wall screen's URL, <url>/#token=TOKEN, instead of the"
                + " bare token.")
    boolean kiosk;

    @Option(
        names = "--url",
        paramLabel = "URL",
        description =
            "The collector's address in the kiosk URL; default dashboard_url, else"
                + " http://<listen host, or this machine's name>:<port>.")
    String url;

    @Mixin ConfigOption config;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      var err = spec.commandLine().getErr();
      try {
        CollectorConfig cfg = config.load();
        Role role = kind.node != null ? Role.NODE : kind.role;
        if (kiosk && role != Role.VIEWER) {
          throw new IllegalArgumentException(
              "--kiosk prints a wall screen URL and needs --role viewer (an operator token in a"
                  + " URL would let anyone who sees it acknowledge problems)");
        }
        String base = kiosk ? KioskUrl.base(cfg, url) : null;
        try (Store store = Stores.open(cfg, Clock.systemUTC())) {
          String token = new Tokens().issue(store, role, kind.node);
          spec.commandLine().getOut().println(kiosk ? KioskUrl.of(base, token) : token);
          err.println(
              "custos-collector: created "
                  + (kind.node != null
                      ? "a node token for " + kind.node
                      : (role == Role.OPERATOR || role == Role.ADMIN ? "an " : "a ")
                          + role.id()
                          + " token")
                  + " in "
                  + store.describe()
                  + "; it is shown only this once");
        }
        return CollectorMain.OK;
      } catch (ConfigException | StoreException e) {
        err.println("custos-collector: " + e.getMessage());
        return CollectorMain.FAILURE;
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
  }

  /**
   * {@code token list}: one line per token — id, role, node, created, last used — on stdout; never
   * a secret or a whole hash. Works while the collector runs.
   */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List tokens: id, role, node, created, last used (local time). Secrets are never shown.",
        "Last use is recorded to the minute."
      },
      footer = {"", CollectorMain.EXIT_CODES})
  static final class ListTokens implements Callable<Integer> {
    @Mixin ConfigOption config;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      var err = spec.commandLine().getErr();
      try (Store store = Stores.open(config.load(), Clock.systemUTC())) {
        List<TokenRecord> tokens = store.tokens();
        var out = spec.commandLine().getOut();
        String format = "%-12s  %-8s  %-20s  %-25s  %s%n";
        out.printf(format, "ID", "ROLE", "NODE", "CREATED", "LAST USED");
        ZoneId zone = ZoneId.systemDefault();
        for (TokenRecord t : tokens) {
          out.printf(
              format,
              t.id(),
              t.role().id(),
              t.node() == null ? "-" : t.node(),
              time(t.created(), zone),
              t.lastUsed() == 0 ? "never" : time(t.lastUsed(), zone));
        }
        out.flush();
        return CollectorMain.OK;
      } catch (ConfigException | StoreException e) {
        err.println("custos-collector: " + e.getMessage());
        return CollectorMain.FAILURE;
      }
    }
  }

  /** {@code token revoke ID}: deletes one token; the collector refuses it from the next request. */
  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = {
        "Revoke a token: requests carrying it get 401 from the next one on,"
            + " also while the collector runs."
      },
      footer = {
        "",
        "ID is the id `token list` shows (or any 8 or more leading digits of it),"
            + " or the token itself.",
        "Exit codes: 0 revoked, 2 no such token or failure, 3 usage error (ambiguous id)."
      })
  static final class Revoke implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "Token id from `token list`, or the token.")
    String id;

    @Mixin ConfigOption config;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      var err = spec.commandLine().getErr();
      String prefix = id.startsWith("cst_") ? Tokens.hash(id.strip()) : id;
      try (Store store = Stores.open(config.load(), Clock.systemUTC())) {
        List<TokenRecord> revoked = store.revokeToken(prefix);
        if (revoked.isEmpty()) {
          err.println(
              "custos-collector: no token "
                  + (id.startsWith("cst_") ? "like the one given" : "with id " + id)
                  + " in "
                  + store.describe()
                  + "; see `custos-collector token list`");
          return CollectorMain.FAILURE;
        }
        TokenRecord t = revoked.get(0);
        spec.commandLine()
            .getOut()
            .println(
                "revoked token "
                    + t.id()
                    + " ("
                    + t.role().id()
                    + (t.node() == null ? "" : " for " + t.node())
                    + ")");
        return CollectorMain.OK;
      } catch (ConfigException | StoreException e) {
        err.println("custos-collector: " + e.getMessage());
        return CollectorMain.FAILURE;
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
  }

  static String time(long epochMs, ZoneId zone) {
    return TIME.format(Instant.ofEpochMilli(epochMs).atZone(zone));
  }

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss zzz", Locale.ROOT);

  /** Accepts only the roles that {@code --role} may create. */
  static final class ReaderRole implements CommandLine.ITypeConverter<Role> {
    @Override
    public Role convert(String value) {
      Role r;
      try {
        r = Role.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "expected operator|admin|viewer|restore, got \"" + value + "\"");
      }
      if (r == Role.NODE) {
        throw new CommandLine.TypeConversionException(
            "a node token needs its node: use --node NAME instead of --role node");
      }
      return r;
    }
  }
}
