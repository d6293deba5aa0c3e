package io.streamfleet.alerts.alert;

import io.streamfleet.contracts.alert.Alert;
import io.streamfleet.contracts.alert.AlertType;
import io.streamfleet.contracts.alert.AnomalyAlert;
import io.streamfleet.contracts.alert.EngagementAlert;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which alerts a feed client, a history query or a webhook subscription wants. Every criterion is optional; a set
 * criterion must hold. {@code accountId}/{@code symbol} only exist on anomaly alerts and {@code userId} only on
 * engagement alerts, so setting one of them excludes the other kind.
 *
 * @param types     alert types to keep (empty = all)
 * @param accountId exact account id
 * @param symbol    exact symbol
 * @param userId    exact user id
 */
public record AlertFilter(Set<AlertType> types, String accountId, String symbol, String userId) {

    public static final AlertFilter ALL = new AlertFilter(Set.of(), null, null, null);

    public AlertFilter {
        types = types == null || types.isEmpty() ? Set.of() : Set.copyOf(types);
        accountId = blankToNull(accountId);
        symbol = blankToNull(symbol);
        userId = blankToNull(userId);
    }

    /** Parses request parameters; {@code type} is a comma-separated list of alert type names (case-insensitive). */
    public static AlertFilter parse(String type, String accountId, String symbol, String userId) {
        return new AlertFilter(parseTypes(type), accountId, symbol, userId);
    }

    public boolean matches(Alert alert) {
        if (!types.isEmpty() && !types.contains(alert.type())) {
            return false;
        }
        if (alert instanceof AnomalyAlert a) {
            return userId == null && same(accountId, a.accountId()) && same(symbol, a.symbol());
        }
        EngagementAlert e = (EngagementAlert) alert;
        return accountId == null && symbol == null && same(userId, e.userId());
    }

    private static boolean same(String wanted, String actual) {
        return wanted == null || wanted.equals(actual);
    }

    private static Set<AlertType> parseTypes(String type) {
        if (type == null || type.isBlank()) {
            return Set.of();
        }
        Set<AlertType> types = EnumSet.noneOf(AlertType.class);
        for (String part : type.split(",")) {
            String name = part.trim().toUpperCase(Locale.ROOT);
            try {
                types.add(AlertType.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("type: unknown alert type '" + part.trim() + "'; expected one of "
                        + java.util.Arrays.toString(AlertType.values()));
            }
        }
        return types;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
