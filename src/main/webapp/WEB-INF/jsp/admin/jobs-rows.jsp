<%@ page contentType="text/html;charset=UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%-- The rows of the Jobs page alone, for its live refresh (console.js). --%>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="fn" uri="jakarta.tags.functions" %>
<c:set var="base" value="${fn:escapeXml(pageContext.request.contextPath)}"/>
<c:set var="rows" value="${model.jobs}"/><%@ include file="_job-rows.jspf" %>
