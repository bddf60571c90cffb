package org.sessionbridge.config.api;

import java.util.List;
import org.sessionbridge.config.settings.SessionBridgeProperties;
import org.sessionbridge.core.practice.PracticeStore;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** API plumbing: bearer-key authentication, caller arguments and the body size limit. */
@Configuration(proxyBeanMethods = false)
class WebWiring implements WebMvcConfigurer {

  private final PracticeStore practices;
  private final SessionBridgeProperties properties;

  WebWiring(PracticeStore practices, SessionBridgeProperties properties) {
    this.practices = practices;
    this.properties = properties;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry
        .addInterceptor(
            new ApiAuthInterceptor(
                practices, properties.security().operatorKey(), properties.api().maxBodyBytes()))
        .addPathPatterns("/api/**", "/oauth/*/start");
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(new CallerArguments());
  }

  @Bean
  FilterRegistrationBean<BodySizeLimit> bodySizeLimit() {
    FilterRegistrationBean<BodySizeLimit> registration =
        new FilterRegistrationBean<>(new BodySizeLimit(properties.api().maxBodyBytes()));
    registration.addUrlPatterns("/api/*", "/webhooks/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }
}
