package org.sessionbridge.config.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document at /v3/api-docs: bearer keys, and the problem-details convention. */
@Configuration(proxyBeanMethods = false)
class OpenApiWiring {

  @Bean
  OpenAPI sessionBridgeOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("SessionBridge hub API")
                .version("v1")
                .description(
                    "Practice store API. Authorization: Bearer <practice API key> (or the operator"
                        + " key for practices and dead letters). Errors are RFC 9457 problem"
                        + " details (application/problem+json) naming the offending field in"
                        + " `field` and all of them in `errors`."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "apiKey", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
        .addSecurityItem(new SecurityRequirement().addList("apiKey"));
  }
}
