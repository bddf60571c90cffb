package org.sessionbridge.config.demo;

import java.net.URI;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.config.feeds.FeedIssuer;
import org.sessionbridge.config.settings.SessionBridgeProperties;
import org.sessionbridge.connector.zoom.fake.ZoomFake;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.appointment.BookingRequest;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ConnectionStore;
import org.sessionbridge.core.feed.FeedOwner;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.meeting.MeetingWork;
import org.sessionbridge.core.practice.Client;
import org.sessionbridge.core.practice.IssuedApiKey;
import org.sessionbridge.core.practice.Practice;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.core.practice.StaffRole;
import org.sessionbridge.core.practice.TelehealthRoles;
import org.sessionbridge.core.practice.VideoPlatform;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The offline demo: seeds a practice with two providers, three clients and a week of sessions, then
 * prints the practice key and the next commands to try. On later starts it keeps the data and
 * issues a fresh demo key (only key hashes are stored, so the old one cannot be shown again).
 */
@Component
@Profile("demo")
final class DemoSandbox implements ApplicationRunner {

  static final String PRACTICE_NAME = "Harbor Counseling (demo)";

  private final PracticeStore practices;
  private final AppointmentBook book;
  private final Clock clock;
  private final SessionBridgeProperties properties;
  private final ApplicationContext context;
  private final FeedIssuer feeds;
  private final ObjectProvider<ConnectionStore> connections;
  private final MeetingStore meetings;
  private final ZoomFake zoom;
  private final DemoCalendarTour calendarTour;
  private final DemoTelehealthTour telehealthTour;
  private final TelehealthRoles roles;
  private final DemoReminderTour reminderTour;

  DemoSandbox(
      DemoReminderTour reminderTour,
      DemoCalendarTour calendarTour,
      DemoTelehealthTour telehealthTour,
      TelehealthRoles roles,
      FeedIssuer feeds,
      PracticeStore practices,
      AppointmentBook book,
      Clock clock,
      SessionBridgeProperties properties,
      ApplicationContext context,
      ObjectProvider<ConnectionStore> connections,
      MeetingStore meetings,
      ZoomFake zoom) {
    this.connections = connections;
    this.meetings = meetings;
    this.zoom = zoom;
    this.calendarTour = calendarTour;
    this.telehealthTour = telehealthTour;
    this.roles = roles;
    this.reminderTour = reminderTour;
    this.practices = practices;
    this.book = book;
    this.clock = clock;
    this.properties = properties;
    this.context = context;
    this.feeds = feeds;
  }

  @Override
  public void run(ApplicationArguments args) {
    Optional<Practice> existing =
        practices.practices().stream().filter(p -> p.name().equals(PRACTICE_NAME)).findFirst();
    IssuedApiKey issued;
    if (existing.isPresent()) {
      issued = practices.rotateApiKey(existing.get().id());
    } else {
      issued = seed();
    }
    UUID practiceId = issued.practice().id();
    List<Staff> providers = practices.staff(practiceId);
    List<Client> clients = practices.clients(practiceId, 10, 0);
    // Fresh feeds each start: like API keys, their secrets are shown once and stored as hashes.
    FeedIssuer.Issued providerFeed =
        feeds.issue(practiceId, FeedOwner.PROVIDER, providers.get(0).id(), "demo");
    FeedIssuer.Issued clientFeed =
        feeds.issue(practiceId, FeedOwner.CLIENT, clients.get(0).id(), "demo");
    connectZoom(practiceId, existing.isPresent());
    connectMicrosoft(practiceId, existing.isPresent());
    SessionBridgeProperties.Google google = properties.google();
    Staff maya = byEmail(providers, DemoGoogle.MAYA);
    Staff sam = byEmail(providers, DemoGoogle.SAM);
    Optional<UUID> googleLink =
        calendarTour.linkMaya(
            baseUrl(), issued.apiKey(), practiceId, maya, String.valueOf(google.clientId()));
    System.out.println(banner(issued, providers, clients, providerFeed, clientFeed, sam));
    showDriftRepair();
    googleLink.ifPresent(link -> calendarTour.showTwoWaySync(baseUrl(), link));
    // Alex, by address: the reminder tour's imminent session is Jordan's, and each should get
    // exactly the reminders of their own sessions.
    clients.stream()
        .filter(c -> c.email().equals("alex@client.example"))
        .findFirst()
        .ifPresent(alex -> telehealthTour.start(baseUrl(), issued.apiKey(), maya, alex.id()));
    clients.stream()
        .filter(c -> c.email().equals("jordan@client.example"))
        .findFirst()
        .ifPresent(jordan -> reminderTour.show(baseUrl(), practiceId, sam, jordan));
  }

  /**
   * Connects the practice to the demo's in-process Zoom (as {@code PUT /api/v1/connections/zoom}
   * would) and lets it send signed webhooks to this hub. The fake starts empty each run, so on a
   * restart every upcoming meeting is checked at once: the hub finds them gone and makes new ones.
   */
  private void connectZoom(UUID practiceId, boolean restart) {
    String secret = properties.zoom().webhookSecretToken();
    if (secret != null) {
      zoom.sendWebhooksTo(URI.create(baseUrl() + "/webhooks/zoom"), secret);
    }
    ConnectionStore store = connections.getIfAvailable();
    if (store == null) {
      return;
    }
    store.save(
        practiceId,
        Connection.Kind.ZOOM,
        DemoZoom.ACCOUNT,
        DemoZoom.CLIENT_ID,
        DemoZoom.CLIENT_SECRET);
    meetings.resume(practiceId, VideoPlatform.ZOOM);
    if (restart) {
      meetings.requestSweep(Duration.ofDays(30));
    }
  }

  /**
   * Connects the practice to the demo's in-process Microsoft 365 (as {@code PUT
   * /api/v1/connections/microsoft} would): Dr. Chen's Teams sessions get Teams meetings with the
   * lobby enforced. Like Zoom's, the fake starts empty each run.
   */
  private void connectMicrosoft(UUID practiceId, boolean restart) {
    ConnectionStore store = connections.getIfAvailable();
    if (store == null) {
      return;
    }
    store.save(
        practiceId,
        Connection.Kind.MICROSOFT,
        DemoMicrosoft.TENANT,
        DemoMicrosoft.CLIENT_ID,
        DemoMicrosoft.CLIENT_SECRET);
    meetings.resume(practiceId, VideoPlatform.TEAMS);
    if (restart) {
      meetings.requestSweep(Duration.ofDays(30));
    }
  }

  /**
   * A little later, the demo's Zoom host turns the waiting room off on one meeting, as a provider
   * might in Zoom's web portal; the webhook reaches the hub, which puts it back and audits it.
   */
  private void showDriftRepair() {
    Thread host =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < 120; i++) {
                  Thread.sleep(500);
                  Optional<ZoomFake.Meeting> meeting =
                      zoom.meetings().stream()
                          .filter(m -> !m.deleted())
                          .filter(
                              m ->
                                  meetings
                                      .byMeetingId(VideoPlatform.ZOOM, Long.toString(m.id()))
                                      .filter(w -> w.state() == MeetingWork.State.SYNCED)
                                      .isPresent())
                          .findFirst();
                  if (meeting.isPresent()) {
                    Thread.sleep(3000);
                    long id = meeting.get().id();
                    UUID appointment =
                        meetings
                            .byMeetingId(VideoPlatform.ZOOM, Long.toString(id))
                            .orElseThrow()
                            .appointmentId();
                    zoom.hostChangesSettings(id, false, true);
                    System.out.println(
                        "\n[demo] The Zoom host just turned the waiting room OFF on meeting "
                            + id
                            + ".\n[demo] The hub gets Zoom's webhook and puts it back; see:\n"
                            + "  curl -s -H \"Authorization: Bearer $KEY\" "
                            + baseUrl()
                            + "/api/v1/appointments/"
                            + appointment
                            + "/meeting-audit\n");
                    return;
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "demo-zoom-host");
    host.setDaemon(true);
    host.start();
  }

  private IssuedApiKey seed() {
    ZoneId newYork = ZoneId.of("America/New_York");
    ZoneId chicago = ZoneId.of("America/Chicago");
    IssuedApiKey issued = practices.createPractice(PRACTICE_NAME, newYork);
    UUID practice = issued.practice().id();
    practices.updateSettings(practice, "12 Harbor Street, Suite 3, Portland, ME 04101", null);
    Staff maya =
        practices.createStaff(
            practice, "Dr. Maya Chen", "maya.chen@harbor.example", newYork, StaffRole.OWNER, false);
    // The owner grants the telehealth role (to herself too), audited as any grant is.
    roles.grant(practice, maya.id(), maya.id());
    Staff sam =
        practices.createStaff(
            practice,
            "Sam Rivera, LCSW",
            "sam.rivera@harbor.example",
            chicago,
            StaffRole.PROVIDER,
            false);
    roles.grant(practice, maya.id(), sam.id());
    practices.addVideoService(
        practice,
        maya.id(),
        VideoPlatform.ZOOM,
        null,
        "Join a few minutes early; you will wait in the waiting room until Dr. Chen admits you.",
        true);
    practices.addVideoService(
        practice,
        maya.id(),
        VideoPlatform.TEAMS,
        null,
        "Join from the Teams app or a browser; you wait in the lobby until Dr. Chen admits you.",
        false);
    practices.addVideoService(
        practice,
        sam.id(),
        VideoPlatform.DOXY,
        "https://doxy.me/samrivera-demo",
        "Open the link in Chrome or Safari and check in with your first name.",
        true);
    List<UUID> clients = new ArrayList<>();
    clients.add(
        practices
            .createClient(practice, "Alex Morgan", "alex@client.example", "+15555550101")
            .id());
    clients.add(practices.createClient(practice, "Jordan Lee", "jordan@client.example", null).id());
    clients.add(
        practices
            .createClient(practice, "Taylor Kim", "taylor@client.example", "+15555550103")
            .id());

    LocalDate day = LocalDate.now(clock.withZone(newYork)).plusDays(1);
    int booked = 0;
    while (booked < 5) {
      if (day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY) {
        bookSession(
            practice,
            maya.id(),
            List.of(clients.get(booked % 3)),
            day,
            9,
            newYork,
            Modality.TELEHEALTH);
        bookSession(
            practice,
            maya.id(),
            List.of(clients.get((booked + 1) % 3)),
            day,
            14,
            newYork,
            Modality.IN_PERSON);
        bookSession(
            practice,
            sam.id(),
            List.of(clients.get((booked + 2) % 3)),
            day,
            10,
            chicago,
            Modality.TELEHEALTH);
        if (booked == 1) {
          // A session on Dr. Chen's second service: a Teams meeting with the lobby enforced.
          bookSession(
              practice,
              maya.id(),
              List.of(clients.get(2)),
              day,
              16,
              newYork,
              Modality.TELEHEALTH,
              VideoPlatform.TEAMS);
        }
        if (booked == 2) {
          // A weekly group session for all three clients.
          bookSession(practice, sam.id(), clients, day, 17, chicago, Modality.TELEHEALTH);
        }
        booked++;
      }
      day = day.plusDays(1);
    }
    return issued;
  }

  private void bookSession(
      UUID practice,
      UUID provider,
      List<UUID> clients,
      LocalDate day,
      int hour,
      ZoneId zone,
      Modality modality) {
    bookSession(practice, provider, clients, day, hour, zone, modality, null);
  }

  private void bookSession(
      UUID practice,
      UUID provider,
      List<UUID> clients,
      LocalDate day,
      int hour,
      ZoneId zone,
      Modality modality,
      @Nullable VideoPlatform platform) {
    ZonedDateTime start = ZonedDateTime.of(day, LocalTime.of(hour, 0), zone);
    book.book(
        practice,
        new BookingRequest(
            provider,
            clients,
            start.toInstant(),
            start.plusMinutes(50).toInstant(),
            zone,
            modality,
            platform,
            clients.size() > 1 ? "Group session" : null),
        null);
  }

  private String banner(
      IssuedApiKey issued,
      List<Staff> providers,
      List<Client> clients,
      FeedIssuer.Issued providerFeed,
      FeedIssuer.Issued clientFeed,
      Staff googleConsentProvider) {
    String base = baseUrl();
    String operatorKey = properties.security().operatorKey();
    StringBuilder sb = new StringBuilder();
    sb.append("\n==================== SessionBridge demo sandbox ====================\n");
    sb.append("Practice   ")
        .append(issued.practice().name())
        .append("  id=")
        .append(issued.practice().id())
        .append('\n');
    for (Staff s : providers) {
      sb.append("Provider   ").append(s.name()).append("  id=").append(s.id()).append('\n');
    }
    for (Client c : clients) {
      sb.append("Client     ").append(c.name()).append("  id=").append(c.id()).append('\n');
    }
    sb.append("\nDemo practice API key (a new one each start; shown only here):\n");
    sb.append("  export KEY=").append(issued.apiKey()).append('\n');
    if (operatorKey != null) {
      sb.append("Demo operator key:\n  export OP=").append(operatorKey).append('\n');
    }
    String provider = providers.isEmpty() ? "<provider-id>" : providers.get(0).id().toString();
    String client = clients.isEmpty() ? "<client-id>" : clients.get(0).id().toString();
    sb.append("\nTry next:\n");
    sb.append("  curl -s -H \"Authorization: Bearer $KEY\" ")
        .append(base)
        .append("/api/v1/appointments?providerId=")
        .append(provider)
        .append('\n');
    sb.append(
            "  curl -s -X POST -H \"Authorization: Bearer $KEY\" -H 'Content-Type: application/json' ")
        .append(base)
        .append("/api/v1/appointments \\\n    -d '{\"providerId\":\"")
        .append(provider)
        .append("\",\"clientIds\":[\"")
        .append(client)
        .append(
            "\"],\"start\":\"2030-01-07T15:00:00-05:00\",\"end\":\"2030-01-07T15:50:00-05:00\",")
        .append("\"timeZone\":\"America/New_York\",\"modality\":\"TELEHEALTH\"}'\n");
    sb.append(
            "  curl -s -X PATCH -H \"Authorization: Bearer $KEY\" -H 'Content-Type: application/json' ")
        .append(base)
        .append("/api/v1/appointments/<id> -d '{\"start\":\"2030-01-08T15:00:00-05:00\"}'\n");
    sb.append("  curl -s -X POST -H \"Authorization: Bearer $KEY\" ")
        .append(base)
        .append("/api/v1/appointments/<id>/cancel\n");
    sb.append("  curl -s -H \"Authorization: Bearer $OP\" ")
        .append(base)
        .append("/api/v1/outbox\n");
    sb.append("  curl -s -H \"Authorization: Bearer $KEY\" ")
        .append(base)
        .append("/api/v1/appointments/<id>/invite.ics\n");
    sb.append(
            "\nZoom: Dr. Chen's telehealth sessions get Zoom meetings (an in-process Zoom fake;"
                + " nothing leaves this machine).\n  Read one: GET ")
        .append(base)
        .append("/api/v1/appointments/<id>  → telehealth {meetingId, joinUrl, waitingRoom}\n");
    sb.append(
            "\nTeams: Dr. Chen also offers Teams; her Teams session gets a Teams meeting whose lobby"
                + " admits only her (an in-process Microsoft Graph fake). Link ")
        .append(googleConsentProvider.name())
        .append("'s Outlook calendar as a provider would:\n  curl -s -X POST -H \"Authorization:")
        .append(" Bearer $KEY\" ")
        .append(base)
        .append("/api/v1/providers/")
        .append(googleConsentProvider.id())
        .append("/microsoft-authorization   # then open the authorizeUrl\n");
    sb.append(
            "\nGoogle Calendar: Dr. Chen's calendar is linked (an in-process Google fake): her"
                + " sessions go there and her own events block her time. Link ")
        .append(googleConsentProvider.name())
        .append("'s as a provider would:\n  curl -s -X POST -H \"Authorization: Bearer $KEY\" ")
        .append(base)
        .append("/api/v1/providers/")
        .append(googleConsentProvider.id())
        .append("/google-authorization\n")
        .append(
            "  then open the authorizeUrl in a browser (the demo's Google consents at once) and"
                + " pick his calendars.\n");
    sb.append("\nCalendar feeds (subscribe in any calendar app; the secret is in the URL):\n");
    sb.append("  ")
        .append(providers.get(0).name())
        .append(": ")
        .append(providerFeed.links().url())
        .append('\n');
    sb.append("  ")
        .append(clients.get(0).name())
        .append(": ")
        .append(clientFeed.links().url())
        .append('\n');
    sb.append("  subscribe page for the client (open on a phone): ")
        .append(clientFeed.links().subscribeUrl())
        .append('\n');
    sb.append("\nWatch this log: every change leaves the outbox as 'outbox -> handlers: ...'.\n");
    sb.append("API document: ")
        .append(base)
        .append("/v3/api-docs   health: ")
        .append(base)
        .append("/actuator/health\n");
    sb.append("=====================================================================\n");
    return sb.toString();
  }

  private static Staff byEmail(List<Staff> staff, String email) {
    return staff.stream().filter(s -> s.email().equals(email)).findFirst().orElseThrow();
  }

  private String baseUrl() {
    if (context instanceof WebServerApplicationContext web && web.getWebServer() != null) {
      return "http://localhost:" + web.getWebServer().getPort();
    }
    return properties.publicBaseUrl();
  }
}
