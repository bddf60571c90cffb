package org.sessionbridge.config.feeds;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code sessionbridge.feeds.*}: what a feed shows and how it is served.
 *
 * @param pastDays sessions that ended up to this many days ago stay in feeds
 * @param futureDays sessions starting up to this many days ahead are listed (keeps feeds far below
 *     Google's 1 MB cap)
 * @param cancelledGrace a cancelled session stays (struck through) this long after cancellation
 * @param alarmBefore the reminder alarm in feeds; 0 for none
 * @param refreshInterval suggested polling interval (REFRESH-INTERVAL, X-PUBLISHED-TTL)
 * @param cacheTtl longest a rendered feed is reused on a node without a re-check of the data
 * @param maxAge the Cache-Control max-age for subscribers
 * @param missesPerMinute unknown or revoked secrets one address may try per minute before 429
 */
@ConfigurationProperties("sessionbridge.feeds")
public record FeedSettings(
    @DefaultValue("30") int pastDays,
    @DefaultValue("180") int futureDays,
    @DefaultValue("7d") Duration cancelledGrace,
    @DefaultValue("15m") Duration alarmBefore,
    @DefaultValue("1h") Duration refreshInterval,
    @DefaultValue("30s") Duration cacheTtl,
    @DefaultValue("5m") Duration maxAge,
    @DefaultValue("10") int missesPerMinute) {}
