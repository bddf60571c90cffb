package org.sessionbridge.config.api;

import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Lets a controller method state who may call it by the type of a parameter: {@link
 * Caller.PracticeMember} needs a practice key, {@link Caller.Operator} the operator key.
 */
final class CallerArguments implements HandlerMethodArgumentResolver {

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return Caller.class.isAssignableFrom(parameter.getParameterType());
  }

  @Override
  public Object resolveArgument(
      MethodParameter parameter,
      @Nullable ModelAndViewContainer mav,
      NativeWebRequest request,
      @Nullable WebDataBinderFactory binders) {
    Object caller = request.getAttribute(Caller.REQUEST_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    if (caller == null) {
      throw ApiException.unauthorized("send Authorization: Bearer <key>");
    }
    Class<?> wanted = parameter.getParameterType();
    if (!wanted.isInstance(caller)) {
      throw ApiException.forbidden(
          wanted == Caller.Operator.class
              ? "this call needs the operator key"
              : "this call needs a practice API key, not the operator key");
    }
    return caller;
  }
}
